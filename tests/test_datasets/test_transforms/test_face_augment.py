import cv2
import numpy as np
import pytest

from rednet_mmseg.datasets import FaceCropResize, FaceRandomFlip


def test_mirrored_case_written_by_hand():
    label = np.array([[0, 2, 0, 3], [4, 4, 5, 0], [1, 1, 1, 10]], np.uint8)
    points = np.array([[0.5, 1], [2, 1], [1, 2], [0, 2], [2.5, 2]], np.float32)
    results = dict(
        img=np.arange(12, dtype=np.uint8).reshape(3, 4, 1).repeat(3, 2),
        gt_seg_map=label,
        seg_fields=['gt_seg_map'],
        gt_keypoints=np.concatenate([points, np.ones((5, 1))], 1)[None],
    )
    out = FaceRandomFlip(prob=1.0, swap_seg_labels=[(2, 3), (4, 5)])(results)
    expected_label = np.array(
        [
            [2, 0, 3, 0],  # left brow <-> right brow
            [0, 4, 5, 5],  # left eye <-> right eye
            [10, 1, 1, 1],
        ],
        np.uint8,
    )
    # x -> 3 - x, then left/right eye and left/right mouth corner rows exchanged
    expected_points = np.array([[1, 1], [2.5, 1], [2, 2], [0.5, 2], [3, 2]])
    assert np.array_equal(out['gt_seg_map'], expected_label)
    np.testing.assert_allclose(out['gt_keypoints'][0, :, :2], expected_points)
    assert out['img'][0, 0, 0] == 3  # the image itself is mirrored


def _marked(h=120, w=100):
    img = np.zeros((h, w, 3), np.uint8)
    pts = np.array([[40, 50], [60, 50], [50, 62], [42, 75], [58, 75]], np.float32)
    for x, y in pts.astype(int):
        img[y, x] = 255
    label = np.ones((h, w), np.uint8)
    return dict(
        img=img,
        gt_seg_map=label,
        seg_fields=['gt_seg_map'],
        gt_keypoints=np.concatenate([pts, np.ones((5, 1))], 1)[None],
    )


def test_face_crop_moves_landmarks_with_pixels():
    out = FaceCropResize(scale=(64, 64), face_ratios=(0.5,))(_marked())
    assert out['img'].shape == (64, 64, 3) and out['img_shape'] == (64, 64)
    pts = out['gt_keypoints'][0, :, :2]
    # the landmark box's larger side (25 px, vertical) takes half of the output side
    assert np.isclose(pts[:, 1].max() - pts[:, 1].min(), 32, atol=1e-4)
    assert np.isclose((pts[:, 1].max() + pts[:, 1].min()) / 2, 32, atol=1e-4)  # centred
    for x, y in pts:
        assert out['img'][int(round(y)), int(round(x))].max() > 0  # marker followed
    assert set(np.unique(out['gt_seg_map'])) <= {1, 255}


def test_face_crop_pads_outside_with_ignore_and_rescale_mode_keeps_whole_image():
    out = FaceCropResize(scale=(64, 64), face_ratios=(0.05,))(_marked())
    assert (out['gt_seg_map'] == 255).any() and (out['gt_seg_map'] == 1).any()
    whole = FaceCropResize(scale=(64, 64), face_ratios=(0.5,), mode='rescale')(_marked())
    assert whole['img'].shape[:2] == (154, 128)  # 64 / (25 / 0.5) = 1.28x, nothing cut
    assert (whole['gt_seg_map'] == 1).all()


@pytest.mark.parametrize(
    'mode,ratio', [('crop', 0.5), ('crop', 0.1), ('rescale', 0.1), ('rescale', 0.5)]
)
def test_prior_channels_move_exactly_with_the_image(mode, ratio):
    """An 11-channel float map (the prior) is resampled like the image, channel by channel,
    shrinking (area averaging) or enlarging, whole image or crop."""
    rng = np.random.default_rng(0)
    results = _marked(240, 200)
    # a float image: both go through the same float32 interpolation (a uint8 image would add
    # OpenCV's fixed-point weights and rounding)
    results['img'] = rng.uniform(0, 255, (240, 200, 3)).astype(np.float32)
    results['gt_prior'] = np.stack([results['img'][..., c % 3] for c in range(11)], -1).astype(
        np.float32
    )
    results['seg_fields'].append('gt_prior')
    out = FaceCropResize(scale=(48, 48), face_ratios=(ratio,), mode=mode)(results)
    # the border value differs on purpose (0 vs -1): leave out pixels that blend it in
    inside = cv2.erode((out['gt_seg_map'] != 255).astype(np.uint8), np.ones((3, 3))) > 0
    for c in range(11):  # float32 rounding of a few-term weighted sum of values <= 255
        diff = np.abs(out['gt_prior'][..., c] - out['img'][..., c % 3])[inside]
        assert diff.max() <= 255 * 1e-5, (c, diff.max())
