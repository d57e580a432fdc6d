"""tools/analysis_tools/plot_curves.py: curves of several work dirs in one PNG."""

import json

import cv2

from rednet_mmseg.testing.tool_runner import run_process


def _work_dir(root, name, losses, f1s):
    vis = root / name / '20261129_000000' / 'vis_data'
    vis.mkdir(parents=True)
    lines = [
        dict(loss=v, lr=0.01, iter=10 * (i + 1), step=10 * (i + 1)) for i, v in enumerate(losses)
    ]
    lines += [{'F1.overall': v, 'aAcc': 90.0, 'step': 50 * (i + 1)} for i, v in enumerate(f1s)]
    (vis / 'scalars.json').write_text('\n'.join(json.dumps(r) for r in lines) + '\n')
    return str(root / name)


def _run(*args, repo_root):
    return run_process(repo_root, 'tools/analysis_tools/plot_curves.py', *args, timeout=120)


def test_two_runs_two_panels(tmp_path, repo_root):
    a = _work_dir(tmp_path, 'rednet', [2.0, 1.5, 1.0, 0.8, 0.7], [40.0, 60.0])
    b = _work_dir(tmp_path, 'fcn', [2.2, 2.0, 1.9, 1.8, 1.7], [10.0, 20.0])
    out = tmp_path / 'curves.png'
    res = _run(a, b, '-o', str(out), '--keys', 'loss', 'F1.overall', repo_root=repo_root)
    assert res.returncode == 0, res.stderr
    img = cv2.imread(str(out))
    assert img.shape[1] == 900 and img.shape[0] == 360  # two 4.5 x 3.6 inch panels, 100 dpi
    # the two runs are drawn in matplotlib's first two colours
    colours = {tuple(int(c) for c in px) for px in img.reshape(-1, 3)}
    assert (180, 119, 31) in colours and (14, 127, 255) in colours  # BGR of C0 and C1


def test_clear_errors(tmp_path, repo_root):
    res = _run(str(tmp_path / 'nowhere'), '-o', str(tmp_path / 'x.png'), repo_root=repo_root)
    assert res.returncode != 0 and 'no */vis_data/scalars.json' in res.stderr
    a = _work_dir(tmp_path, 'run', [1.0], [])
    res = _run(a, '-o', str(tmp_path / 'x.png'), '--keys', 'mIoU', repo_root=repo_root)
    assert res.returncode != 0 and "no run logged 'mIoU'" in res.stderr
    assert not (tmp_path / 'x.png').exists()


def test_hline_draws_a_reference(tmp_path, repo_root):
    a = _work_dir(tmp_path, 'rednet', [2.0, 1.0], [40.0, 60.0])
    plain, ref = tmp_path / 'plain.png', tmp_path / 'ref.png'
    keys = ['--keys', 'loss', 'F1.overall']
    assert _run(a, '-o', str(plain), *keys, repo_root=repo_root).returncode == 0
    res = _run(a, '-o', str(ref), *keys, '--hline', 'F1.overall=50:prior', repo_root=repo_root)
    assert res.returncode == 0, res.stderr
    new_dark = (cv2.imread(str(ref)).max(2) < 80) & (cv2.imread(str(plain)).max(2) >= 80)
    rows = new_dark[:, 450:].sum(1)  # the F1 panel (right half) gains a dashed black line
    assert rows.max() > 100 and new_dark[:, :450].sum(1).max() < 20
    res = _run(a, '-o', str(ref), '--hline', 'F1.overall', repo_root=repo_root)
    assert res.returncode != 0 and 'expected KEY=VALUE:LABEL' in res.stderr
