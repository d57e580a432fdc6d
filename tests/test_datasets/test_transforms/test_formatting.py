"""PackFaceInputs: the prior restored from its pipeline form, channels swapped after a flip."""

import numpy as np

from rednet_mmseg.datasets import PackFaceInputs
from rednet_mmseg.datasets.transforms.prior_storage import store_prior


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
