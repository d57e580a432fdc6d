"""tools/analysis_tools/score_predictions.py: anyone's label maps, the published protocols."""

import subprocess
import sys

import cv2
import numpy as np
import pytest


def _tool():
    """The library half of the tool (``rednet_mmseg.evaluation.score_predictions``)."""
    from rednet_mmseg.evaluation import score_predictions

    return score_predictions


@pytest.fixture
def folders(tmp_path):
    """Two 6x8 Helen ground truths and predictions with known confusions."""
    gt_dir, pred_dir = tmp_path / 'gt', tmp_path / 'pred'
    gt_dir.mkdir()
    pred_dir.mkdir()
    rng = np.random.default_rng(0)
    gts, preds = [], []
    for name in ('a', 'b'):
        gt = rng.integers(0, 11, (6, 8)).astype(np.uint8)
        pred = gt.copy()
        pred[0] = rng.integers(0, 11, 8)  # one wrong row
        cv2.imwrite(str(gt_dir / f'{name}.png'), gt)
        cv2.imwrite(str(pred_dir / f'{name}.png'), pred)
        gts.append(gt)
        preds.append(pred)
    return pred_dir, gt_dir, np.concatenate(gts), np.concatenate(preds)


def _f1(gt, pred, group):
    g, p = np.isin(gt, group), np.isin(pred, group)
    return 100 * 2 * (g & p).sum() / (g.sum() + p.sum())


def test_scores_as_by_hand(folders, repo_root):
    score = _tool().score

    pred_dir, gt_dir, gt, pred = folders
    metrics, n = score(str(pred_dir), str(gt_dir), 'helen')
    assert n == 2
    assert metrics['F1.overall'] == pytest.approx(_f1(gt, pred, [2, 3, 4, 5, 6, 7, 8, 9]))
    assert metrics['F1.brows'] == pytest.approx(_f1(gt, pred, [2, 3]))
    assert metrics['aAcc'] == pytest.approx(100 * (gt == pred).mean())
    res = subprocess.run(
        [sys.executable, 'tools/analysis_tools/score_predictions.py', str(pred_dir), str(gt_dir)],
        cwd=repo_root,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0 and f'F1.overall {metrics["F1.overall"]:.2f}' in res.stdout


def test_class_map_reorders_another_parser(folders):
    score = _tool().score

    pred_dir, gt_dir, _, _ = folders
    ref, _ = score(str(pred_dir), str(gt_dir), 'helen')
    order = [3, 0, 10, 1, 2, 4, 9, 5, 6, 7, 8]  # their label i is our class order[i]
    inverse = np.argsort(order).astype(np.uint8)
    for p in pred_dir.glob('*.png'):
        cv2.imwrite(str(p), inverse[cv2.imread(str(p), cv2.IMREAD_UNCHANGED)])
    assert score(str(pred_dir), str(gt_dir), 'helen')[0] != ref  # unmapped: wrong order
    got, _ = score(str(pred_dir), str(gt_dir), 'helen', class_map=','.join(map(str, order)))
    assert got == ref


def test_missing_or_mis_sized_predictions_are_named(folders, repo_root):
    tool = _tool()
    ScoreError, score = tool.ScoreError, tool.score

    pred_dir, gt_dir, _, _ = folders
    cv2.imwrite(str(pred_dir / 'a.png'), np.zeros((5, 8), np.uint8))
    with pytest.raises(ScoreError, match=r'a.png: prediction is 8x5 but the ground truth'):
        score(str(pred_dir), str(gt_dir))
    (pred_dir / 'a.png').unlink()
    res = subprocess.run(
        [sys.executable, 'tools/analysis_tools/score_predictions.py', str(pred_dir), str(gt_dir)],
        cwd=repo_root,
        capture_output=True,
        text=True,
    )
    assert res.returncode != 0 and 'Traceback' not in res.stderr
    assert f'error: {pred_dir / "a.png"}: no prediction for the ground truth' in res.stderr
    cv2.imwrite(str(pred_dir / 'a.png'), np.full((6, 8), 30, np.uint8))
    with pytest.raises(ScoreError, match=r'label values \[30\] outside the 11 classes'):
        score(str(pred_dir), str(gt_dir))
    with pytest.raises(ScoreError, match='not covered by the class map'):
        score(str(pred_dir), str(gt_dir), class_map='0,1,2')


def test_empty_or_missing_prediction_folder_is_named(folders, tmp_path):
    """Not "no prediction for <first file>": the folder itself is the problem."""
    score, error = _tool().score, _tool().ScoreError
    gt_dir = folders[1]
    with pytest.raises(error, match=f'{tmp_path / "gone"}: no such prediction folder'):
        score(str(tmp_path / 'gone'), str(gt_dir))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(error, match='holds no label maps'):
        score(str(tmp_path / 'empty'), str(gt_dir))
