"""The hot path (``CropParser``) parses face crops as the packed reference pipeline does.

On a real photo (matplotlib's ``grace_hopper.jpg``) with the shipped model: class probabilities
of both paths, with and without mirroring, for a whole face crop and one cut by the photo's
edge. Bounds come from what the test measures: the paths may differ by float rounding only,
far less than one grey level of noise on the photo moves the reference; a label may differ
only where the reference's two best classes are closer than twice that difference.
"""

import numpy as np
import pytest
import torch

from rednet_mmseg.apis import FaceParsingInferencer
from rednet_mmseg.apis.crop_parser import CropParser
from rednet_mmseg.apis.image_inputs import read_image
from rednet_mmseg.apis.multi_face import CONTEXT, crop_box
from rednet_mmseg.apis.pipeline_crop_parser import PipelineCropParser


@pytest.fixture(scope='module')
def face():
    from matplotlib.cbook import get_sample_data

    img = read_image(get_sample_data('grace_hopper.jpg', asfileobj=False))
    # the paths' own label maps: the guided filter fits on different grids in the two
    # (tests/test_apis/test_guided_refine.py compares them)
    inferencer = FaceParsingInferencer(device='cpu', refine='none')
    (found,) = inferencer.find_faces(img, 'grace_hopper.jpg')
    return inferencer, img, found.points


def _crop(img, points, cut_left=0):
    """The face's crop; ``cut_left`` px of the photo removed first (a face at the edge)."""
    img = np.ascontiguousarray(img[:, cut_left:])
    points = points - np.array([cut_left, 0], np.float32)
    x0, y0, x1, y1 = crop_box(points[:5], img.shape, CONTEXT)  # placed by the 5 key points
    return np.ascontiguousarray(img[y0:y1, x0:x1]), points - np.array([x0, y0], np.float32)


def _check_paths_agree(inferencer, crop, pts, flip):
    """Hot path and reference: probabilities within float rounding, labels but near-ties."""
    fast = inferencer.crop_parser.probs(crop, pts, flip)
    ref = inferencer.reference_parser.probs(crop, pts, flip)
    assert fast.shape == ref.shape == (ref.shape[0], *crop.shape[:2])
    diff = float((fast - ref).abs().max())
    # the scale of a real change: one grey level of noise on the crop, through the reference
    rng = np.random.default_rng(0)
    noisy = np.clip(crop.astype(np.int16) + rng.integers(-1, 2, crop.shape), 0, 255)
    reference = inferencer.reference_parser.probs
    noise = float((reference(noisy.astype(np.uint8), pts, flip) - ref).abs().max())
    assert diff < 0.01 * noise, (diff, noise)
    top2 = ref.topk(2, dim=0).values
    margin = top2[0] - top2[1]
    differ = fast.argmax(0) != ref.argmax(0)
    assert bool((margin[differ] <= 2 * diff).all())
    labels = inferencer.crop_parser(crop, pts, flip)
    assert labels.dtype == np.uint8 and np.array_equal(labels, fast.argmax(0).numpy())


@pytest.mark.parametrize('flip', [True, False])
@pytest.mark.parametrize('cut_left', [0, 180])
def test_hot_path_equals_reference(face, flip, cut_left):
    inferencer, img, points = face
    # the shipped model's pipeline is supported
    assert isinstance(inferencer.crop_parser, CropParser)
    crop, pts = _crop(img, points, cut_left)
    _check_paths_agree(inferencer, crop, pts, flip)


def test_dense_model_hot_path_equals_reference():
    """The ``accurate`` model (dense prior): the detector's 68 points go with the 5."""
    from matplotlib.cbook import get_sample_data

    img = read_image(get_sample_data('grace_hopper.jpg', asfileobj=False))
    inferencer = FaceParsingInferencer(model='accurate', device='cpu')
    assert isinstance(inferencer.crop_parser, CropParser) and inferencer.crop_parser.dense
    (found,) = inferencer.find_faces(img, 'grace_hopper.jpg')
    crop, pts = _crop(img, found.all_points)
    assert pts.shape == (73, 2)
    _check_paths_agree(inferencer, crop, pts, flip=True)
    with pytest.raises(ValueError, match="needs each face's 68 points"):
        inferencer.crop_parser(crop, pts[:5])


def test_parse_image_same_labels_either_path(face):
    inferencer, img, points = face
    fast, _, _ = inferencer.parse_image(img, faces=[points], name='grace_hopper.jpg')
    parser, inferencer.crop_parser = inferencer.crop_parser, inferencer.reference_parser
    try:
        ref, _, _ = inferencer.parse_image(img, faces=[points], name='grace_hopper.jpg')
    finally:
        inferencer.crop_parser = parser
    # near-ties may flip (bounded per pixel above); on this photo there are none
    assert (fast != ref).mean() < 1e-4


def test_unsupported_pipelines_keep_the_reference_path(face):
    inferencer, _, _ = face
    transforms = list(inferencer.pipeline.transforms)
    assert CropParser.supports(transforms)

    class RandomRotate:  # any step the hot path does not reproduce
        pass

    assert not CropParser.supports(transforms[:-1] + [RandomRotate()] + transforms[-1:])
    assert not CropParser.supports([t for t in transforms if type(t).__name__ != 'FaceCropResize'])
    with pytest.raises(ValueError, match='RandomRotate'):
        CropParser(inferencer.model, transforms + [RandomRotate()], [])
    off = FaceParsingInferencer(device='cpu', fast_path=False)
    assert off.crop_parser is off.reference_parser
    assert isinstance(off.crop_parser, PipelineCropParser)
    with pytest.raises(ValueError, match="backend='onnxruntime' runs the hot path only"):
        FaceParsingInferencer(device='cpu', fast_path=False, backend='onnxruntime')


@pytest.fixture(scope='module')
def onnxruntime_parser(face, tmp_path_factory):
    """The shipped model's hot path with ``backend='onnxruntime'`` (exported to a temp cache)."""
    pytest.importorskip('onnxruntime')
    inferencer = face[0]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv('REDNET_MMSEG_CACHE', str(tmp_path_factory.mktemp('cache')))
        transforms, pairs = inferencer.pipeline.transforms, inferencer._tta.flip_pairs
        return CropParser(inferencer.model, transforms, pairs, backend='onnxruntime')


@pytest.mark.parametrize('cut_left', [0, 180])
def test_onnxruntime_backend_gives_the_same_labels(face, onnxruntime_parser, cut_left):
    """``backend='onnxruntime'`` changes fewer labels than one grey level of noise does.

    Not a per-pixel probability bound as above: two runtimes may order a max-pool window's two
    near-equal values differently (a local change), as a grey level of noise does anywhere.
    """
    inferencer, img, points = face
    crop, pts = _crop(img, points, cut_left)
    ref = inferencer.crop_parser(crop, pts)
    rng = np.random.default_rng(0)
    noisy = np.clip(crop.astype(np.int16) + rng.integers(-1, 2, crop.shape), 0, 255)
    by_noise = (inferencer.crop_parser(noisy.astype(np.uint8), pts) != ref).mean()
    by_backend = (onnxruntime_parser(crop, pts) != ref).mean()
    assert 0 < by_noise and by_backend <= by_noise, (by_backend, by_noise)
    transforms, pairs = inferencer.pipeline.transforms, inferencer._tta.flip_pairs
    with pytest.raises(ValueError, match='backend'):
        CropParser(inferencer.model, transforms, pairs, backend='tensorrt')


def test_scores_match_the_export_graph(face):
    """``scores`` is the graph ``forward`` exports (labels its argmax)."""
    inferencer, _, _ = face
    net = inferencer.crop_parser.net
    g = torch.Generator().manual_seed(0)
    image = torch.rand(1, 3, 64, 64, generator=g) * 255
    prior = torch.rand(1, 11, 64, 64, generator=g)
    prior = prior / prior.sum(1, keepdim=True)
    with torch.no_grad():
        scores, labels = net(image, prior)
        assert torch.equal(scores, net.scores(image, prior))
    assert torch.equal(labels, scores.argmax(1))


def test_labels_are_the_argmax_ties_included():
    from rednet_mmseg.apis.crop_parser import labels_from_probs

    g = torch.Generator().manual_seed(0)
    # values on a coarse grid: many pixels with two or more classes tied for the maximum
    probs = torch.randint(0, 4, (11, 37, 29), generator=g).float()
    tied = (probs == probs.max(0, keepdim=True).values).sum(0) > 1
    assert tied.float().mean() > 0.3
    labels = labels_from_probs(probs)
    assert labels.dtype == np.uint8 and labels.shape == (37, 29)
    assert np.array_equal(labels, probs.argmax(0).numpy())  # the first maximal class


def _parser(inferencer, scales):
    transforms, pairs = inferencer.pipeline.transforms, inferencer._tta.flip_pairs
    return CropParser(inferencer.model, transforms, pairs, scales=scales)


def test_one_scale_is_the_reference_at_that_face_size(face):
    """``scales=(1.25,)``: the packed pipeline with FaceCropResize's face ratios times 1.25."""
    from types import SimpleNamespace

    from mmcv.transforms import Compose

    from rednet_mmseg.apis.crop_parser import scaled_steps

    inferencer, img, points = face
    crop, pts = _crop(img, points)
    steps = scaled_steps(inferencer.pipeline.transforms, 1.25)
    ratios = [t.face_ratios for t in steps if type(t).__name__ == 'FaceCropResize']
    base = [t.face_ratios for t in inferencer.pipeline.transforms if hasattr(t, 'face_ratios')]
    assert np.allclose(ratios[0], np.array(base[0]) * 1.25)
    reference = PipelineCropParser(inferencer._tta, Compose(steps), inferencer.collate_fn)
    both = SimpleNamespace(crop_parser=_parser(inferencer, (1.25,)), reference_parser=reference)
    _check_paths_agree(both, crop, pts, flip=True)
    # and it is another parse than the config's face size
    one = inferencer.crop_parser.probs(crop, pts)
    assert (both.crop_parser.probs(crop, pts).argmax(0) != one.argmax(0)).any()


def test_several_scales_average_probabilities_on_the_first_grid(face):
    inferencer, img, points = face
    crop, pts = _crop(img, points)
    multi = _parser(inferencer, (1.0, 1.25))
    p1 = _parser(inferencer, (1.0,))._network_scores(crop, pts, True).softmax(1)
    p2 = _parser(inferencer, (1.25,))._network_scores(crop, pts, True)
    assert p2.shape[-1] > p1.shape[-1]  # 1.25x the grid
    p2 = torch.nn.functional.interpolate(p2, size=p1.shape[-2:], mode='bilinear').softmax(1)
    got = multi._network_scores(crop, pts, True).softmax(1)
    assert got.shape == p1.shape
    # the mean went through log and softmax once more: a few fp32 roundings of values <= 1
    torch.testing.assert_close(got, (p1 + p2) / 2, rtol=0, atol=8 * torch.finfo(torch.float32).eps)
    labels = multi(crop, pts, flip=True, refine='guided')
    assert labels.shape == crop.shape[:2]


@pytest.mark.parametrize('scales', [(), (0,), (1, -1.25), ('a',), None, (1, 4.5), (float('nan'),)])
def test_bad_scales_are_refused(face, scales):
    from rednet_mmseg.apis.crop_parser import check_scales

    with pytest.raises(ValueError, match='scales must be'):
        check_scales(scales)


def test_scales_need_the_hot_path():
    with pytest.raises(ValueError, match=r'scales=\(1.0, 1.25\) runs the hot path only'):
        FaceParsingInferencer(device='cpu', fast_path=False, scales=(1, 1.25))
