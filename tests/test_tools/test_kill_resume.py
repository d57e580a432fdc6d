"""A training killed with SIGKILL and resumed ends with the uninterrupted weights.

Resumed with --resume, with deterministic settings and data loading in the main process.
"""

import signal
import subprocess
import sys
import time

import pytest
import torch

CONFIG = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'
ITERS = 8


def _cmd(root, work, resume=False):
    opts = [
        f'{s}_dataloader.{k}'
        for s in ('train', 'val')
        for k in ('num_workers=0', 'persistent_workers=False')
    ]
    opts += [f'{s}_dataloader.dataset.data_root={root}' for s in ('train', 'val')]
    return [
        sys.executable,
        'tools/train.py',
        CONFIG,
        '--work-dir',
        str(work),
        *(['--resume'] if resume else []),
        '--cfg-options',
        *opts,
        'train_dataloader.batch_size=2',
        f'train_cfg.max_iters={ITERS}',
        'train_cfg.val_interval=100',
        'default_hooks.checkpoint.interval=2',
        'randomness.seed=0',
        'randomness.deterministic=True',
    ]


def _weights(path):
    return torch.load(path, map_location='cpu', weights_only=False)['state_dict']


@pytest.fixture(scope='module')
def uninterrupted(helen_converted, tmp_path_factory, repo_root):
    """The work_dir of the run both tests compare with, trained once without interruption."""
    ref = tmp_path_factory.mktemp('uninterrupted')
    res = subprocess.run(
        _cmd(helen_converted, ref), cwd=repo_root, capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return ref


def test_sigkill_then_resume_matches_uninterrupted(
    helen_converted, uninterrupted, tmp_path, repo_root
):
    ref = uninterrupted
    work = tmp_path / 'killed'
    log = open(tmp_path / 'killed.log', 'w')
    proc = subprocess.Popen(
        _cmd(helen_converted, work), cwd=repo_root, stdout=log, stderr=subprocess.STDOUT
    )
    last = work / 'last_checkpoint'  # written by mmengine after a checkpoint is complete
    deadline = time.time() + 300
    while not (last.is_file() and last.read_text().strip()) and proc.poll() is None:
        assert time.time() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, 'the run finished before it could be killed'
    assert not (work / f'iter_{ITERS}.pth').exists()

    res = subprocess.run(
        _cmd(helen_converted, work, resume=True),
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'resumed' in (res.stdout + res.stderr).lower()
    a, b = _weights(ref / f'iter_{ITERS}.pth'), _weights(work / f'iter_{ITERS}.pth')
    assert a.keys() == b.keys()
    diff = {k: float((a[k].double() - b[k].double()).abs().max()) for k in a}
    assert max(diff.values()) == 0.0, sorted(diff.items(), key=lambda kv: -kv[1])[:3]
    before = _weights(ref / f'iter_{ITERS - 2}.pth')  # the last iterations did change them
    assert any(not torch.equal(a[k], before[k]) for k in a)


def test_truncated_last_checkpoint_falls_back_to_the_previous(
    helen_converted, uninterrupted, tmp_path, repo_root
):
    """A run killed while writing its last checkpoint resumes from the previous one.

    --resume warns, takes the previous checkpoint and ends with the uninterrupted run's weights.
    """
    ref = uninterrupted
    work = tmp_path / 'cut'
    work.mkdir()
    for name in (f'iter_{ITERS - 2}.pth', f'iter_{ITERS}.pth'):
        (work / name).write_bytes((ref / name).read_bytes())
    last = work / f'iter_{ITERS}.pth'
    last.write_bytes(last.read_bytes()[:5000])  # truncated mid-write
    (work / 'last_checkpoint').write_text(str(last))
    res = subprocess.run(
        _cmd(helen_converted, work, resume=True),
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    out = res.stdout + res.stderr
    assert f'{last} cannot be read (truncated or corrupt); resuming from the previous' in out
    assert f'iter_{ITERS - 2}.pth instead' in out
    a, b = _weights(ref / f'iter_{ITERS}.pth'), _weights(last)
    assert all(torch.equal(a[k], b[k]) for k in a)
