"""Distributed training on CPU (gloo) through tools/dist_train.sh, as CI can run it.

Two processes with batch 2 each must train like one process with batch 4: the same losses per
iteration and the same final weights (GroupNorm instead of BN and a deterministic pipeline, so
the two runs see identical batches), and only rank 0 writes checkpoints and logs.
"""
import json
import os
import os.path as osp
import re
import subprocess
import sys

import torch

TINY = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'
CONFIG = '''
_base_ = ['{tiny}']
norm_cfg = dict(type='GN', num_groups=4, requires_grad=True)
model = dict(data_preprocessor=dict(size=(64, 64)),
             backbone=dict(norm_cfg=norm_cfg), decode_head=dict(norm_cfg=norm_cfg))
pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
            dict(type='Resize', scale=(64, 64), keep_ratio=False), dict(type='PackSegInputs')]
train_dataloader = dict(batch_size={batch}, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root='{root}', pipeline=pipeline))
val_dataloader = dict(num_workers=0, persistent_workers=False, dataset=dict(data_root='{root}'))
train_cfg = dict(max_iters=4, val_interval=100)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=4))
randomness = dict(seed=0, deterministic=True)
# NCHW in both runs: oneDNN's NHWC kernels round differently per batch size, which 4 SGD steps
# amplify to ~5e-4 in the weights (1e-5 in NCHW). ChannelsLastHook under DDP is tested in
# tests/test_engine/test_channels_last_hook.py.
custom_hooks = [dict(type='FiniteLossHook'), dict(type='NumClassCheckHook')]
'''


def _train(root, repo_root, tmp_path, nproc):
    (tmp_path / str(nproc)).mkdir()
    cfg = tmp_path / str(nproc) / 'tiny_gn.py'  # same name: the dumped config is compared
    cfg.write_text(CONFIG.format(tiny=osp.join(repo_root, TINY), root=root, batch=4 // nproc))
    work = tmp_path / f'work_{nproc}'
    env = dict(os.environ, PATH=osp.dirname(sys.executable) + os.pathsep + os.environ['PATH'],
               PORT='29517', OMP_NUM_THREADS='1')
    cmd = (['bash', 'tools/dist_train.sh', str(cfg), str(nproc)] if nproc > 1 else
           [sys.executable, 'tools/train.py', str(cfg)])
    res = subprocess.run([*cmd, '--work-dir', str(work)], cwd=repo_root, env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return work, res.stdout + res.stderr


def _tree(work):
    """Files below work, run timestamps replaced by TS."""
    return sorted(re.sub(r'\d{8}_\d{6}', 'TS', osp.relpath(osp.join(d, f), work))
                  for d, _, files in os.walk(work) for f in files)


def _losses(work):
    scalars = [p for p in _tree(work) if p.endswith('scalars.json')]
    assert len(scalars) == 1
    ts = next(d for d in os.listdir(work) if osp.isdir(osp.join(work, d)))
    lines = [json.loads(line) for line in open(osp.join(work, ts, 'vis_data', 'scalars.json'))]
    return {line['iter']: line['loss'] for line in lines if 'loss' in line}, len(lines)


def test_two_processes_train_like_one(helen_converted, tmp_path, repo_root):
    work1, _ = _train(helen_converted, repo_root, tmp_path, 1)
    work2, log2 = _train(helen_converted, repo_root, tmp_path, 2)
    assert 'Distributed training: True' in log2 and 'GPU number: 2' in log2
    # only rank 0 writes: the same files as the single-process run, each iteration logged once
    assert _tree(work2) == _tree(work1)
    assert 'iter_4.pth' in _tree(work2)
    (loss1, n1), (loss2, n2) = _losses(work1), _losses(work2)
    assert n1 == n2 and sorted(loss1) == [1, 2, 3, 4]
    for it in loss1:  # rank 0 logs the mean over both ranks (FiniteLossHook all-reduce)
        assert abs(loss1[it] - loss2[it]) <= 1e-3 * abs(loss1[it]), (it, loss1, loss2)
    w1 = torch.load(work1 / 'iter_4.pth', weights_only=False)['state_dict']
    w2 = torch.load(work2 / 'iter_4.pth', weights_only=False)['state_dict']
    assert w1.keys() == w2.keys()
    worst = max(float((w1[k].float() - w2[k].float()).abs().max()) for k in w1)
    assert worst < 1e-4, worst
