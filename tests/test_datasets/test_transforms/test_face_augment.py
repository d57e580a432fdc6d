import numpy as np

from rednet_mmseg.datasets import FaceCropResize, FaceRandomFlip


def test_mirrored_case_written_by_hand():
    label = np.array([[0, 2, 0, 3],
                      [4, 4, 5, 0],
                      [1, 1, 1, 10]], np.uint8)
    points = np.array([[0.5, 1], [2, 1], [1, 2], [0, 2], [2.5, 2]], np.float32)
    results = dict(img=np.arange(12, dtype=np.uint8).reshape(3, 4, 1).repeat(3, 2),
                   gt_seg_map=label, seg_fields=['gt_seg_map'],
                   gt_keypoints=np.concatenate([points, np.ones((5, 1))], 1)[None])
    out = FaceRandomFlip(prob=1.0, swap_seg_labels=[(2, 3), (4, 5)])(results)
    expected_label = np.array([[2, 0, 3, 0],      # left brow <-> right brow
                               [0, 4, 5, 5],      # left eye <-> right eye
                               [10, 1, 1, 1]], np.uint8)
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
    return dict(img=img, gt_seg_map=label, seg_fields=['gt_seg_map'],
                gt_keypoints=np.concatenate([pts, np.ones((5, 1))], 1)[None])


def test_face_crop_moves_landmarks_with_pixels():
    out = FaceCropResize(scale=(64, 64), face_ratios=(0.5, ))(_marked())
    assert out['img'].shape == (64, 64, 3) and out['img_shape'] == (64, 64)
    pts = out['gt_keypoints'][0, :, :2]
    # the landmark box's larger side (25 px, vertical) takes half of the output side
    assert np.isclose(pts[:, 1].max() - pts[:, 1].min(), 32, atol=1e-4)
    assert np.isclose((pts[:, 1].max() + pts[:, 1].min()) / 2, 32, atol=1e-4)  # centred
    for x, y in pts:
        assert out['img'][int(round(y)), int(round(x))].max() > 0  # marker followed
    assert set(np.unique(out['gt_seg_map'])) <= {1, 255}


def test_face_crop_pads_outside_with_ignore_and_rescale_mode_keeps_whole_image():
    out = FaceCropResize(scale=(64, 64), face_ratios=(0.05, ))(_marked())
    assert (out['gt_seg_map'] == 255).any() and (out['gt_seg_map'] == 1).any()
    whole = FaceCropResize(scale=(64, 64), face_ratios=(0.5, ), mode='rescale')(_marked())
    assert whole['img'].shape[:2] == (154, 128)  # 64 / (25 / 0.5) = 1.28x, nothing cut
    assert (whole['gt_seg_map'] == 1).all()
