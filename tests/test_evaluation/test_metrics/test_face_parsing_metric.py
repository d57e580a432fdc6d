import math

import cv2
import numpy as np
import pytest
import torch

from rednet_mmseg.datasets import HelenDataset
from rednet_mmseg.evaluation import FaceParsingMetric

# One row per pixel: (ground truth, prediction). Hand-built to contain in-group confusions
# (left brow -> right brow, left eye -> right eye, upper lip -> inner mouth), cross-group
# confusions (right brow -> nose, hair -> skin) and an ignored pixel.
PAIRS = [
    (2, 2),
    (2, 3),
    (3, 3),
    (3, 6),
    (4, 5),
    (5, 5),
    (6, 6),
    (7, 8),
    (8, 8),
    (9, 9),
    (1, 1),
    (0, 0),
    (10, 1),
    (255, 0),
]
# Worked out by hand from PAIRS, F1(G) = 2 hits / (#gt in G + #pred in G):
EXPECTED_GROUPS = {
    'brows': 2 * 3 / (4 + 3),  # gt 2,2,3,3; pred in {2,3}: 3 pixels; hits 3
    'eyes': 1.0,  # 4->5 is a hit inside the group
    'nose': 2 * 1 / (1 + 2),  # 3->6 adds a false nose pixel
    'upper_lip': 0.0,
    'inner_mouth': 2 * 1 / (1 + 2),
    'lower_lip': 1.0,
    'mouth_all': 1.0,  # 7->8 is a hit for the mouth
    'skin': 2 * 1 / (1 + 2),  # 10->1 adds a false skin pixel
    'hair': 0.0,
    'overall': 1.0,  # every 2..9 pixel is predicted inside 2..9
}
EXPECTED_ACC = 8 / 13
EXPECTED_CLASS = [1, 2 / 3, 2 / 3, 0.5, 0, 2 / 3, 2 / 3, 0, 2 / 3, 1, 0]
EXPECTED_MF1 = sum(EXPECTED_CLASS[1:]) / 10


def _sample(gt, pred):
    return dict(
        gt_sem_seg=dict(data=torch.as_tensor(gt)[None]),
        pred_sem_seg=dict(data=torch.as_tensor(pred)[None]),
    )


def _metric():
    metric = FaceParsingMetric()
    metric.dataset_meta = dict(classes=HelenDataset.METAINFO['classes'])
    return metric


def _run(metric, samples):
    metric.process({}, samples)
    return metric.compute_metrics(metric.results)


def test_hand_computed_helen_protocol():
    gt, pred = np.array(PAIRS).T
    res = _run(_metric(), [_sample(gt.reshape(2, 7), pred.reshape(2, 7))])
    for name, f1 in EXPECTED_GROUPS.items():
        assert res[f'F1.{name}'] == pytest.approx(100 * f1), name
    assert res['aAcc'] == pytest.approx(100 * EXPECTED_ACC)
    names = HelenDataset.METAINFO['classes']
    for name, f1 in zip(names, EXPECTED_CLASS):
        assert res[f'classF1.{name}'] == pytest.approx(100 * f1), name
    assert res['mF1'] == pytest.approx(100 * EXPECTED_MF1)


def test_dataset_level_accumulation_not_per_image_mean():
    """Two images of different sizes give the same scores as one image holding all pixels."""
    gt, pred = np.array(PAIRS).T
    split = [
        _sample(gt[:4].reshape(2, 2), pred[:4].reshape(2, 2)),
        _sample(gt[4:].reshape(1, 10), pred[4:].reshape(1, 10)),
    ]
    res = _run(_metric(), split)
    assert res['F1.brows'] == pytest.approx(100 * EXPECTED_GROUPS['brows'])
    assert res['F1.overall'] == pytest.approx(100.0)
    # the per-image mean would differ: image 1 has only brows, F1.brows(image1) = 75
    assert res['aAcc'] == pytest.approx(100 * EXPECTED_ACC)


def test_absent_class_is_nan_not_zero():
    res = _run(_metric(), [_sample(np.zeros((2, 2), int), np.zeros((2, 2), int))])
    assert math.isnan(res['F1.hair']) and res['classF1.background'] == 100


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match='ground-truth resolution'):
        _metric().process({}, [_sample(np.zeros((2, 2), int), np.zeros((3, 3), int))])
    with pytest.raises(ValueError, match='outside 0..10'):
        _metric().process({}, [_sample(np.full((2, 2), 11), np.zeros((2, 2), int))])
    with pytest.raises(ValueError, match='unknown protocol'):
        FaceParsingMetric(protocol='bogus')


def test_custom_groups():
    metric = FaceParsingMetric(groups={'face': (1, 2, 3, 4, 5, 6, 7, 8, 9)})
    metric.dataset_meta = dict(classes=HelenDataset.METAINFO['classes'])
    gt, pred = np.array(PAIRS).T
    res = _run(metric, [_sample(gt[None], pred[None])])
    # gt in face: 11 pixels (2..9 and skin); pred in face: 12 (adds 10->1); hits 11
    assert res['F1.face'] == pytest.approx(100 * 2 * 11 / (11 + 12))


def test_lfw_protocol_table3_by_hand(tmp_path):
    from rednet_mmseg.datasets import LFWPartLabelsDataset

    metric = FaceParsingMetric(protocol='lfw', output_dir=str(tmp_path))
    metric.dataset_meta = dict(classes=LFWPartLabelsDataset.METAINFO['classes'])
    # (gt, pred): bg 0, skin 1, hair 2
    pairs = [(0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (1, 2), (2, 2), (2, 0)]
    gt, pred = np.array(pairs).T
    sample = _sample(gt.reshape(2, 4), pred.reshape(2, 4))
    sample['img_path'] = '/x/Aaron_Eckhart_0001.jpg'
    res = _run(metric, [sample])
    assert res['aAcc'] == pytest.approx(100 * 5 / 8)
    assert res['classF1.background'] == pytest.approx(100 * 2 * 2 / (3 + 3))
    assert res['classF1.skin'] == pytest.approx(100 * 2 * 2 / (3 + 3))
    assert res['classF1.hair'] == pytest.approx(100 * 2 * 1 / (2 + 2))
    assert not any(k.startswith('F1.') for k in res)  # no Helen groups
    written = cv2.imread(str(tmp_path / 'Aaron_Eckhart_0001.png'), cv2.IMREAD_UNCHANGED)
    assert np.array_equal(written, pred.reshape(2, 4))


def test_mean_f1_protocol_excludes_background():
    metric = FaceParsingMetric(protocol='mean_f1')
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    gt, pred = np.array([(0, 1), (1, 1), (2, 2), (2, 0)]).T
    res = _run(metric, [_sample(gt[None], pred[None])])
    f_a, f_b = 2 * 1 / (1 + 2), 2 * 1 / (2 + 1)
    assert res['mF1'] == pytest.approx(100 * (f_a + f_b) / 2)
