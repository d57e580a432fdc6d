"""SoftFaceLabels: one-hot labels that FaceCropResize area-averages, mirrored like the prior."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mmcv.transforms import Compose

from rednet_mmseg.datasets.transforms import (
    FaceCropResize,
    FaceRandomFlip,
    PackFaceInputs,
    SoftFaceLabels,
)
from rednet_mmseg.datasets.transforms.prior_storage import check_prior_pipeline

PAIRS = [(2, 3), (4, 5)]


def _results(seg, points=None):
    h, w = seg.shape
    if points is None:  # a face box in the middle of the image
        points = np.array([[0.35, 0.4], [0.65, 0.4], [0.5, 0.55], [0.4, 0.7], [0.6, 0.7]])
        points = points * [w, h]
    return dict(
        img=np.zeros((h, w, 3), np.uint8),
        gt_seg_map=seg.astype(np.uint8),
        seg_fields=['gt_seg_map'],
        gt_keypoints=np.asarray(points, np.float32)[None],
        img_path='a.jpg',
        seg_map_path='a.png',
        ori_shape=(h, w),
        img_shape=(h, w),
    )


def _soft(packed):
    return packed['data_samples'].gt_soft_seg.data.numpy()


def test_one_hot_and_ignored_pixels():
    seg = np.array([[0, 1], [10, 255]], np.uint8)
    out = SoftFaceLabels(num_classes=11)(_results(seg))
    soft = PackFaceInputs()(out)['data_samples'].gt_soft_seg.data
    assert tuple(soft.shape) == (11, 2, 2)
    assert soft[0, 0, 0] == 1 and soft[1, 0, 1] == 1 and soft[10, 1, 0] == 1
    assert soft[:, 1, 1].sum() == 0  # ignored: no mass


def test_a_label_outside_the_classes_names_the_file():
    seg = np.array([[0, 11]], np.uint8)
    with pytest.raises(ValueError, match=r'a\.png: label value 11 outside the 11 classes'):
        SoftFaceLabels(num_classes=11)(_results(seg))


def test_needs_the_label_map():
    results = _results(np.zeros((4, 4)))
    del results['gt_seg_map']
    with pytest.raises(ValueError, match='after LoadAnnotations'):
        SoftFaceLabels(num_classes=3)(results)


@settings(max_examples=15, deadline=None)
@given(side=st.integers(120, 400), thick=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_the_crop_area_averages_thin_parts(side, thick, seed):
    """A brow ``thick`` photo pixels thick shrunk about 4-9x: its mass is kept, not sampled.

    Nearest-neighbour sampling keeps a random share of the line's rows (often none); the soft
    labels keep its area: the class-2 fractions summed over the crop, times the photo pixels per
    crop pixel, are the line's pixel count, up to the resampling's edge rounding.
    """
    rng = np.random.default_rng(seed)
    seg = np.ones((side, side), np.uint8)
    row = int(rng.integers(side // 3, side // 2))
    seg[row : row + thick, side // 3 : 2 * side // 3] = 2
    pipe = Compose(
        [
            SoftFaceLabels(num_classes=11),
            FaceCropResize(scale=(128, 128), face_ratios=(0.2,)),
            PackFaceInputs(),
        ]
    )
    packed = pipe(_results(seg))
    soft = _soft(packed)
    box = 0.3 * side  # the face box's larger side (points above)
    photo_per_crop = (box / 0.2 / 128) ** 2
    mass = soft[2].sum() * photo_per_crop
    line = (seg == 2).sum()
    assert abs(mass - line) <= 0.02 * line + 2 * np.sqrt(photo_per_crop) * thick
    sums = soft.sum(0)
    assert sums.max() <= 1 + 1e-5  # fractions, never more than one pixel's worth
    hard = packed['data_samples'].gt_sem_seg.data[0].numpy()
    inside = (hard != 255) & (sums > 0.999)
    # where the crop is one class in the photo, soft and hard labels agree
    pure = soft.max(0) > 0.999
    assert (soft.argmax(0)[inside & pure] == hard[inside & pure]).all()


def test_a_mirror_swaps_left_and_right_fractions():
    seg = np.ones((200, 200), np.uint8)
    seg[80:84, 60:90] = 2  # a left brow on the image's left
    seg[80:84, 110:140] = 3
    seg[95:100, 70:85] = 4

    def run(prob):
        pipe = Compose(
            [
                SoftFaceLabels(num_classes=11),
                FaceCropResize(scale=(128, 128), face_ratios=(0.2,)),
                FaceRandomFlip(prob=prob, swap_seg_labels=PAIRS),
                PackFaceInputs(),
            ]
        )
        return pipe(_results(seg))

    plain, flipped = _soft(run(0.0)), _soft(run(1.0))
    expect = plain[:, :, ::-1][[0, 1, 3, 2, 5, 4, 6, 7, 8, 9, 10]]
    np.testing.assert_allclose(flipped, expect, atol=1e-6)
    # the hard labels were swapped by value in the same way
    hard = run(1.0)['data_samples'].gt_sem_seg.data[0].numpy()
    assert ((flipped.argmax(0) == hard) | (flipped.max(0) < 0.999)).all()


def test_a_nearest_neighbour_resize_after_it_is_refused():
    from mmcv.transforms import Resize

    steps = [SoftFaceLabels(num_classes=11), Resize(scale=(64, 64))]
    with pytest.raises(ValueError, match='Resize .* after SoftFaceLabels .* the soft labels'):
        check_prior_pipeline(steps)
