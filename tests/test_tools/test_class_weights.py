"""tools/analysis_tools/class_weights.py: weights from label frequencies."""

import numpy as np
from PIL import Image

from rednet_mmseg.testing.tool_runner import run_tool


def _labels(root, maps):
    d = root / 'annotations' / 'train'
    d.mkdir(parents=True)
    for i, m in enumerate(maps):
        Image.fromarray(np.asarray(m, dtype=np.uint8)).save(d / f'{i}.png')


def _run(*args, repo_root):
    return run_tool(repo_root, 'analysis_tools/class_weights.py', *args)


def test_weights_are_inverse_sqrt_frequency_with_unit_mean(tmp_path, repo_root):
    # 3 classes: 64 / 16 / 0 pixels and 20 ignored (255)
    a = np.zeros((10, 10))
    a[:4, :4] = 1
    a[8:, :] = 255
    _labels(tmp_path, [a])
    res = _run(str(tmp_path), '--num-classes', '3', repo_root=repo_root)
    assert res.returncode == 0, res.stderr
    weights = [float(w) for w in res.stdout.split('class_weight=[')[1].rstrip(']\n').split(',')]
    f = np.array([0.8, 0.2])
    w = f**-0.5 / (f**-0.5 * f).sum()  # mean weight per labelled pixel = 1
    np.testing.assert_allclose(weights, [w[0], w[1], w[1]], atol=0.006)  # unseen: the largest
    assert 'pixel share (%): 80.00, 20.00, 0.00' in res.stdout


def test_clear_errors(tmp_path, repo_root):
    res = _run(str(tmp_path), repo_root=repo_root)
    assert res.returncode != 0 and 'no label maps in' in res.stderr
    _labels(tmp_path, [np.full((4, 4), 255)])
    res = _run(str(tmp_path), repo_root=repo_root)
    assert res.returncode != 0 and 'no labelled pixel' in res.stderr
