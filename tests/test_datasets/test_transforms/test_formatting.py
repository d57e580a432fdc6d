"""PackFaceInputs: the prior restored from its pipeline form, channels swapped after a flip."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rednet_mmseg.datasets import PackFaceInputs
from rednet_mmseg.datasets.transforms.face_augment import _resample
from rednet_mmseg.datasets.transforms.prior_storage import (
    STORED_NO_PRIOR,
    restore_prior,
    store_prior,
)


def _results(flip):
    prior = np.zeros((2, 3, 6), np.float32)
    prior[..., 2] = 0.75  # class 2 (left brow) likely, class 4 (left eye) less
    prior[..., 4] = 0.25
    return dict(
        img=np.zeros((2, 3, 3), np.uint8),
        gt_seg_map=np.zeros((2, 3), np.uint8),
        gt_prior=store_prior(prior),
        seg_fields=['gt_seg_map', 'gt_prior'],
        flip=flip,
        flip_direction='horizontal',
        swap_seg_labels=[(2, 3), (4, 5)],
        img_path='a.jpg',
        ori_shape=(2, 3),
        img_shape=(2, 3),
    )


def test_packs_prior_channels_first():
    out = PackFaceInputs()(_results(flip=False))['data_samples'].face_prior.data
    assert tuple(out.shape) == (6, 2, 3)
    np.testing.assert_allclose(out[:, 0, 0].numpy(), [0, 0, 0.75, 0, 0.25, 0], atol=1e-7)


def test_flip_swaps_left_right_channels():
    out = PackFaceInputs()(_results(flip=True))['data_samples'].face_prior.data
    np.testing.assert_allclose(out[:, 0, 0].numpy(), [0, 0, 0, 0.75, 0, 0.25], atol=1e-7)


def test_without_prior_it_is_pack_seg_inputs():
    r = _results(flip=False)
    del r['gt_prior']
    r['seg_fields'] = ['gt_seg_map']
    assert 'face_prior' not in PackFaceInputs()(r)['data_samples']


@settings(max_examples=20, deadline=None)
@given(
    side=st.integers(16, 480),
    scale=st.floats(0.3, 3.0),
    shift=st.tuples(st.floats(-60, 20), st.floats(-60, 20)),
    seed=st.integers(0, 2**16),
)
def test_a_resampled_prior_packs_as_a_distribution(side, scale, shift, seed):
    """A resampled prior packs as a distribution, not refused as a fill.

    Area-resampling the stored form of a photo-sized prior rounds (sums up to 1.012 at
    472 x 422, scale 0.71).
    """
    rng = np.random.default_rng(seed)
    prior = rng.dirichlet(np.full(11, 0.3), size=(side, side)).astype(np.float32)
    mat = np.array([[scale, 0, shift[0]], [0, scale, shift[1]]])
    stored = _resample(store_prior(prior), mat, (128, 128), (STORED_NO_PRIOR,) * 4)
    r = dict(_results(flip=False), gt_prior=stored, img=np.zeros((128, 128, 3), np.uint8))
    r['gt_seg_map'] = np.zeros((128, 128), np.uint8)
    out = PackFaceInputs()(r)['data_samples'].face_prior.data.sum(0)
    assert float(out.max()) <= 1 + 1e-6
    # pixels well inside the moved prior still hold all of it
    (x0, x1), (y0, y1) = ((max(0, s + 2), max(0, min(128, side * scale + s - 2))) for s in shift)
    inside = out[math.ceil(y0) : math.floor(y1), math.ceil(x0) : math.floor(x1)]
    assert inside.numel() == 0 or float(inside.min()) > 0.98


def test_the_area_resampling_that_rounds_most():
    """The case seen on a real photo (Helen 103236168_2 in a training crop)."""
    prior = np.random.default_rng(0).dirichlet(np.full(11, 0.3), size=(422, 472))
    k = 0.7057341369757645
    mat = np.array([[k, 0, -38.50386047363281], [0, k, 11.76557731628418]])
    stored = _resample(store_prior(prior.astype(np.float32)), mat, (256, 256), (-1.0,) * 4)
    assert restore_prior(stored).sum(-1).max() > 1.001  # what OpenCV gives
    r = dict(_results(flip=False), gt_prior=stored, img=np.zeros((256, 256, 3), np.uint8))
    r['gt_seg_map'] = np.zeros((256, 256), np.uint8)
    out = PackFaceInputs()(r)['data_samples'].face_prior.data.sum(0)
    assert float(out.max()) <= 1 + 1e-6


def test_a_prior_filled_as_a_label_map_is_refused_by_name():
    r = _results(flip=False)
    r['gt_prior'] = np.zeros_like(r['gt_prior'])  # stored 0 = probability 1 for every class
    with pytest.raises(ValueError, match=r'a\.jpg: the prior is no longer a distribution'):
        PackFaceInputs()(r)
