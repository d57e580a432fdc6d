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


@pytest.mark.parametrize('protocol', ['helen', 'mean_f1'])
def test_worst_images_are_the_split_scored_without_them(tmp_path, protocol, tool_main):
    """``--worst``: each listed image's own score and the split's score without it.

    Checked against ``score`` run on a copy of the split that lacks the image; the image whose
    prediction misses most comes first.
    """
    import shutil

    mod = _tool()
    rng = np.random.default_rng(1)
    gt_dir, pred_dir = tmp_path / 'gt', tmp_path / 'pred'
    gt_dir.mkdir()
    pred_dir.mkdir()
    wrong_rows = dict(a=0, b=1, c=4, d=2)  # c is the worst: 4 of 6 rows relabelled
    for name, rows in wrong_rows.items():
        gt = rng.integers(0, 11, (6, 8)).astype(np.uint8)
        pred = gt.copy()
        pred[:rows] = (gt[:rows] + 1 + rng.integers(0, 9, (rows, 8))) % 11  # every pixel wrong
        cv2.imwrite(str(gt_dir / f'{name}.png'), gt)
        cv2.imwrite(str(pred_dir / f'{name}.png'), pred)
    metrics, names, confs = mod.score_images(str(pred_dir), str(gt_dir), protocol)
    key = mod.HEADLINE[protocol]
    rows = mod.worst_images(names, confs, protocol, count=4)
    assert rows[0]['name'] == 'c' and [r['name'] for r in rows][-1] == 'a'
    assert all(r1['gain'] >= r2['gain'] for r1, r2 in zip(rows, rows[1:]))
    for row in rows:
        sub_gt, sub_pred = tmp_path / f'gt-{row["name"]}', tmp_path / f'pred-{row["name"]}'
        shutil.copytree(gt_dir, sub_gt)
        shutil.copytree(pred_dir, sub_pred)
        (sub_gt / f'{row["name"]}.png').unlink()
        (sub_pred / f'{row["name"]}.png').unlink()
        without, _ = mod.score(str(sub_pred), str(sub_gt), protocol)
        assert row['without'] == pytest.approx(without[key])
        assert row['gain'] == pytest.approx(without[key] - metrics[key])
        alone = tmp_path / f'alone-{row["name"]}'
        (alone / 'gt').mkdir(parents=True)
        (alone / 'pred').mkdir()
        shutil.copy(gt_dir / f'{row["name"]}.png', alone / 'gt')
        shutil.copy(pred_dir / f'{row["name"]}.png', alone / 'pred')
        own, _ = mod.score(str(alone / 'pred'), str(alone / 'gt'), protocol)
        assert row['score'] == pytest.approx(own[key])
    res = tool_main(
        'analysis_tools/score_predictions.py', pred_dir, gt_dir, '--protocol', protocol,
        '--worst', '2',
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    listed = [line.split(':')[0].strip() for line in res.stdout.splitlines() if '; without' in line]
    assert listed == ['c', rows[1]['name']]
    bad = tool_main('analysis_tools/score_predictions.py', pred_dir, gt_dir, '--worst', '-1')
    assert bad.returncode != 0 and '--worst must be 0 or more' in bad.stderr
