"""Training stops cleanly on a NaN loss; no checkpoint path runs a malicious pickle.

The paths: tools/test.py, load_from, init_cfg pretrained, resume from a foreign file.
"""

import os
import re
import subprocess
import sys

import torch

from rednet_mmseg.testing.tool_runner import run_process

CONFIG = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'


def _opts(root):
    return [
        f'train_dataloader.dataset.data_root={root}',
        f'val_dataloader.dataset.data_root={root}',
        f'test_dataloader.dataset.data_root={root}',
        'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
    ]


def _run(args, cwd):
    return run_process(cwd, *args)


def test_nan_loss_stops_before_a_checkpoint_is_written(helen_converted, tmp_path, repo_root):
    work = tmp_path / 'work'
    res = _run(
        [
            'tools/train.py',
            CONFIG,
            '--work-dir',
            str(work),
            '--cfg-options',
            *_opts(helen_converted),
            'optim_wrapper.optimizer.lr=1e12',
            'train_cfg.max_iters=8',
            'train_cfg.val_interval=100',
            'default_hooks.checkpoint.interval=1',
        ],
        repo_root,
    )
    log = res.stdout + res.stderr
    assert res.returncode != 0
    m = re.search(r'non-finite loss at iteration (\d+)', log)
    assert m, log[-2000:]
    bad = int(m.group(1))
    saved = [int(f[5:-4]) for f in os.listdir(work) if re.fullmatch(r'iter_\d+\.pth', f)]
    assert all(i < bad for i in saved)


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


def test_test_tool_refuses_malicious_checkpoint(helen_converted, tmp_path, repo_root):
    marker = tmp_path / 'pwned'
    evil = tmp_path / 'evil.pth'
    torch.save(dict(state_dict={}, meta=_Payload(marker)), evil)
    res = _run(
        [
            'tools/test.py',
            CONFIG,
            str(evil),
            '--work-dir',
            str(tmp_path / 'w'),
            '--cfg-options',
            *_opts(helen_converted),
        ],
        repo_root,
    )
    assert res.returncode != 0
    assert 'REDNET_TRUSTED_CHECKPOINTS' in res.stderr and str(evil) in res.stderr
    assert not marker.exists()


def _evil(tmp_path):
    marker = tmp_path / 'pwned'
    evil = tmp_path / 'evil.pth'
    torch.save(dict(state_dict={}, meta=_Payload(marker)), evil)
    return evil, marker


def test_load_from_refuses_malicious_checkpoint(helen_converted, tmp_path, repo_root):
    evil, marker = _evil(tmp_path)
    res = subprocess.run(
        [
            sys.executable,
            'tools/train.py',
            CONFIG,
            '--work-dir',
            str(tmp_path / 'w'),
            '--cfg-options',
            *_opts(helen_converted),
            f'load_from={evil}',
            'train_cfg.max_iters=1',
            'train_cfg.val_interval=100',
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode != 0
    assert 'REDNET_TRUSTED_CHECKPOINTS' in res.stderr and str(evil) in res.stderr
    assert not marker.exists()
    assert not list((tmp_path / 'w').glob('*.pth'))


def test_init_cfg_pretrained_refuses_malicious_checkpoint(helen_converted, tmp_path, repo_root):
    evil, marker = _evil(tmp_path)
    res = subprocess.run(
        [
            sys.executable,
            'tools/train.py',
            CONFIG,
            '--work-dir',
            str(tmp_path / 'w'),
            '--cfg-options',
            *_opts(helen_converted),
            'model.backbone.init_cfg.type=Pretrained',
            f'model.backbone.init_cfg.checkpoint={evil}',
            'train_cfg.max_iters=1',
            'train_cfg.val_interval=100',
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode != 0
    assert 'REDNET_TRUSTED_CHECKPOINTS' in res.stderr and str(evil) in res.stderr
    assert not marker.exists()


def test_resume_from_a_foreign_file_needs_trust(helen_converted, tmp_path, repo_root):
    evil, marker = _evil(tmp_path)
    res = subprocess.run(
        [
            sys.executable,
            'tools/train.py',
            CONFIG,
            '--work-dir',
            str(tmp_path / 'w'),
            '--resume',
            '--cfg-options',
            *_opts(helen_converted),
            f'load_from={evil}',
            'train_cfg.max_iters=1',
            'train_cfg.val_interval=100',
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode != 0
    assert "not in the run's work_dir" in res.stderr and 'REDNET_TRUSTED_CHECKPOINTS' in res.stderr
    assert not marker.exists()
