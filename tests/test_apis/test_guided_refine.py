"""The guided filter of a crop's class probabilities (``rednet_mmseg.apis.guided_refine``).

Checked against a direct float64 implementation of He et al.'s equations with explicit windows
(bound: what the same equations lose in float32, measured here), for the properties the parse
path relies on (each pixel's probabilities still sum to one, whatever the sizes: hypothesis),
for edge awareness (a blurred boundary on an image edge comes out sharper; a plain box blur,
``eps`` large, makes it softer), and through the inferencer: ``refine='none'`` is the label map
of the network's probabilities, ``'guided'`` that of the filtered ones.
"""

import cv2
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rednet_mmseg.apis.guided_refine import check_refine, guided_probs


def _reference(p: np.ndarray, g: np.ndarray, r: int, eps: float, dtype) -> np.ndarray:
    """He et al.'s guided filter, window by window: ``p`` ``(K, h, w)``, ``g`` ``(h, w)``."""
    p, g = p.astype(dtype), g.astype(dtype)
    h, w = g.shape

    def box(x):  # mean over the (2r+1)^2 window, edges mirrored as cv2.BORDER_REFLECT
        pad = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(r, r), (r, r)], mode='symmetric')
        out = np.zeros_like(x)
        for dy in range(2 * r + 1):
            for dx in range(2 * r + 1):
                out += pad[..., dy : dy + h, dx : dx + w]
        return out / dtype((2 * r + 1) ** 2)

    mean_g, mean_p = box(g), box(p)
    a = (box(g * p) - mean_g * mean_p) / (box(g * g) - mean_g * mean_g + dtype(eps))
    b = mean_p - a * mean_g
    return box(a) * g + box(b)


def _random(seed, k, h, w):
    rng = np.random.default_rng(seed)
    probs = torch.from_numpy(rng.random((k, h, w), np.float32)).softmax(0)
    img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    return probs, img


def test_matches_the_equations_window_by_window():
    probs, img = _random(0, 4, 23, 17)  # below the working side: the filter at full size
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float64) / 255  # the guide, as ours
    ours = guided_probs(probs, img, radius=2, eps=0.01, work_side=23).numpy()
    ref64 = _reference(probs.numpy(), g, 2, 0.01, np.float64)
    ref32 = _reference(probs.numpy(), g, 2, 0.01, np.float32)
    rounding = np.abs(ref32 - ref64).max()  # what float32 loses on these equations
    assert rounding > 0
    assert np.abs(ours - ref64).max() <= 8 * rounding


def test_a_larger_crop_is_fitted_at_the_working_side():
    probs, img = _random(1, 3, 90, 60)
    out = guided_probs(probs, img, radius=2, eps=0.01, work_side=30)
    assert out.shape == probs.shape and out.dtype == torch.float32
    # a uniform map stays uniform: the fit is b = p, a = 0
    flat = torch.full((3, 90, 60), 1 / 3)
    assert torch.allclose(guided_probs(flat, img, work_side=30), flat, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    k=st.integers(1, 12),
    h=st.integers(1, 70),
    w=st.integers(1, 70),
    work_side=st.integers(8, 64),
    seed=st.integers(0, 2**16),
)
def test_probabilities_still_sum_to_one(k, h, w, work_side, seed):
    probs, img = _random(seed, k, h, w)
    out = guided_probs(probs, img, work_side=work_side)
    assert out.shape == (k, h, w)
    assert torch.isfinite(out).all()
    # linear in the probabilities: the sum is the filter of a constant one, to float rounding
    # of the K terms (each an O(1) value times 1 + the float32 epsilon)
    bound = 8 * k * torch.finfo(torch.float32).eps * max(1.0, float(out.abs().max()))
    assert float((out.sum(0) - 1).abs().max()) <= bound


def test_a_boundary_on_an_image_edge_comes_out_sharper():
    w = 40
    guide = np.zeros((8, w), np.uint8)
    guide[:, 20:] = 255  # the photo's edge between columns 19 and 20
    step = 1 / (1 + np.exp(-(np.arange(w) - 19.5) / 3))  # the network's soft boundary on it
    probs = torch.from_numpy(np.stack([1 - step, step])[:, None].repeat(8, 1).astype(np.float32))
    jump = float(probs[1, 4, 20] - probs[1, 4, 19])
    guided = guided_probs(probs, guide, radius=2, eps=0.01, work_side=w)
    blurred = guided_probs(probs, guide, radius=2, eps=1e3, work_side=w)  # eps large: box blur
    assert float(guided[1, 4, 20] - guided[1, 4, 19]) > 2 * jump
    assert float(blurred[1, 4, 20] - blurred[1, 4, 19]) < jump


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match='differ in size'):
        guided_probs(torch.zeros(2, 5, 5), np.zeros((5, 6), np.uint8))
    with pytest.raises(ValueError, match=r"refine must be one of \('guided', 'none'\)"):
        check_refine('bilateral')


def test_a_config_names_its_model_s_own_refinement():
    from mmengine.config import Config

    from rednet_mmseg.apis.guided_refine import config_refine

    assert config_refine(Config(dict(model=dict()))) == 'guided'  # none named: the default
    assert config_refine(Config(dict(parse_cfg=dict(refine='none')))) == 'none'
    assert config_refine(Config(dict(parse_cfg=dict()))) == 'guided'
    with pytest.raises(ValueError, match="the config's parse_cfg: refine must be one of"):
        config_refine(Config(dict(parse_cfg=dict(refine='crf'))))


def test_the_inferencer_refines_its_crops_probabilities():
    """Hot path: coefficients fitted on the network's grid; reference: on a 220 px grid.

    The two fit the same probabilities on nearly the same grid (the crop resized either way), so
    their label maps agree but for a few boundary pixels: fewer than refining itself moves.
    """
    from matplotlib.cbook import get_sample_data

    from rednet_mmseg.apis import FaceParsingInferencer
    from rednet_mmseg.apis.crop_parser import labels_from_probs
    from rednet_mmseg.apis.image_inputs import read_image
    from rednet_mmseg.apis.multi_face import CONTEXT, crop_box

    img = read_image(get_sample_data('grace_hopper.jpg', asfileobj=False))
    inferencer = FaceParsingInferencer(device='cpu', refine='none')
    (face,) = inferencer.find_faces(img, 'grace_hopper.jpg')
    plain = inferencer.parse_faces('grace_hopper.jpg', [face], img=img)[0]
    refined = inferencer.parse_faces('grace_hopper.jpg', [face], img=img, refine='guided')[0]
    x0, y0, x1, y1 = crop_box(face.points, img.shape, CONTEXT)
    crop = np.ascontiguousarray(img[y0:y1, x0:x1])
    pts = face.points - np.array([x0, y0], np.float32)
    hot = inferencer.crop_parser
    assert np.array_equal(plain[y0:y1, x0:x1], labels_from_probs(hot.probs(crop, pts, True)))
    probs = hot.refined_probs(crop, pts, True)
    assert probs.shape == (11, *crop.shape[:2])
    bound = 8 * 11 * torch.finfo(torch.float32).eps * max(1.0, float(probs.abs().max()))
    assert float((probs.sum(0) - 1).abs().max()) <= bound  # as test_probabilities_still_sum...
    assert np.array_equal(refined[y0:y1, x0:x1], labels_from_probs(probs))
    moved = int((refined != plain).sum())
    assert 0 < moved < 0.05 * plain.size  # boundaries move, faces do not
    reference = inferencer.reference_parser(crop, pts, True, 'guided')
    assert int((reference != refined[y0:y1, x0:x1]).sum()) < moved / 2
    with pytest.raises(ValueError, match='refine must be one of'):
        FaceParsingInferencer(device='cpu', refine='crf')
