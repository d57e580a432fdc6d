"""Distributed training on CPU (gloo) through tools/dist_train.sh, as CI can run it.

Two processes with batch 2 each must train like one process that accumulates the gradients
of the same two batches of 2 (``accumulative_counts=2``, its sampler interleaving the two
ranks' shares of the one shuffled stream). Each half batch then runs the same kernels in both
runs and DDP's average (g0 + g1) / 2 equals the accumulated g0 / 2 + g1 / 2 exactly in fp32,
so the weights agree to the bit on any CPU, while a DDP fault (gradients reduced wrongly, such
as converting parameters to channels-last under an existing DDP: 3.9e-3 after three steps)
still shows. A 1-process run with batch 4 differs by fp32 rounding of other kernels only
(1e-5 to 6e-4 depending on the CPU), which is printed, not bounded. GroupNorm, not BN, so the
batch split does not change the forward pass; only rank 0 writes checkpoints and logs.
"""

import json
import os
import os.path as osp
import re
import subprocess
import sys

import torch

TINY = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'
CONFIG = """
_base_ = ['{tiny}']
custom_imports = dict(imports=['rednet_mmseg', 'rank_interleaved_sampler'],
                      allow_failed_imports=False)
norm_cfg = dict(type='GN', num_groups=4, requires_grad=True)
model = dict(data_preprocessor=dict(size=(64, 64)),
             backbone=dict(norm_cfg=norm_cfg), decode_head=dict(norm_cfg=norm_cfg))
pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
            dict(type='Resize', scale=(64, 64), keep_ratio=False), dict(type='PackSegInputs')]
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                        sampler=dict(type='{sampler}', shuffle=True),
                        dataset=dict(data_root='{root}', pipeline=pipeline))
val_dataloader = dict(num_workers=0, persistent_workers=False, dataset=dict(data_root='{root}'))
optim_wrapper = dict(accumulative_counts={accumulate})
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False, begin=0, end=100)]
train_cfg = dict(max_iters={iters}, val_interval=100)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval={iters}))
randomness = dict(seed=0, deterministic=True)
# as in every config: ChannelsLastHook under DDP (without its re-wrap: 4.1e-3 off at step 2)
custom_hooks = [dict(type='FiniteLossHook'), dict(type='NumClassCheckHook'),
                dict(type='ChannelsLastHook')]
"""
SAMPLER = '''
from mmengine.dataset import InfiniteSampler
from mmengine.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class RankInterleavedSampler(InfiniteSampler):
    """In one process, the batches of 2 that ranks 0 and 1 of a 2-process run get in turn."""

    def __iter__(self):
        stream = super().__iter__()
        while True:
            chunk = [next(stream) for _ in range(4)]
            yield from chunk[0::2]  # rank 0's batch
            yield from chunk[1::2]  # rank 1's batch
'''


def _train(root, repo_root, tmp_path, nproc, accumulate=1):
    run = f'{nproc}x{accumulate}'
    (tmp_path / run).mkdir()
    (tmp_path / run / 'rank_interleaved_sampler.py').write_text(SAMPLER)
    cfg = tmp_path / run / 'tiny_gn.py'  # same name: the dumped config is compared
    cfg.write_text(
        CONFIG.format(
            tiny=osp.join(repo_root, TINY),
            root=root,
            accumulate=accumulate,
            iters=4 * accumulate,
            sampler='RankInterleavedSampler' if accumulate > 1 else 'InfiniteSampler',
        )
    )
    work = tmp_path / f'work_{run}'
    env = dict(
        os.environ,
        PATH=osp.dirname(sys.executable) + os.pathsep + os.environ['PATH'],
        PORT='29517',
        OMP_NUM_THREADS='1',
        PYTHONPATH=os.pathsep.join([str(tmp_path / run), os.environ.get('PYTHONPATH', '')]),
    )
    cmd = (
        ['bash', 'tools/dist_train.sh', str(cfg), str(nproc)]
        if nproc > 1
        else [sys.executable, 'tools/train.py', str(cfg)]
    )
    res = subprocess.run(
        [*cmd, '--work-dir', str(work)],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return work, res.stdout + res.stderr


def _tree(work):
    """Files below work, run timestamps replaced by TS."""
    return sorted(
        re.sub(r'\d{8}_\d{6}', 'TS', osp.relpath(osp.join(d, f), work))
        for d, _, files in os.walk(work)
        for f in files
    )


def _losses(work):
    scalars = [p for p in _tree(work) if p.endswith('scalars.json')]
    assert len(scalars) == 1
    ts = next(d for d in os.listdir(work) if osp.isdir(osp.join(work, d)))
    lines = [json.loads(line) for line in open(osp.join(work, ts, 'vis_data', 'scalars.json'))]
    losses = [line for line in lines if 'loss' in line]
    return {line['iter']: line['loss'] for line in losses}, len(losses)


def _weights(work, iters):
    return torch.load(work / f'iter_{iters}.pth', weights_only=False)['state_dict']


def _max_diff(a, b):
    assert a.keys() == b.keys()
    return max(float((a[k].float() - b[k].float()).abs().max()) for k in a)


def test_two_processes_train_like_one(helen_converted, tmp_path, repo_root):
    work2, log2 = _train(helen_converted, repo_root, tmp_path, 2)
    work_acc, _ = _train(helen_converted, repo_root, tmp_path, 1, accumulate=2)
    assert 'Distributed training: True' in log2 and 'GPU number: 2' in log2
    # only rank 0 writes: the same files as the single-process run, each iteration logged once
    assert _tree(work2) == [p.replace('iter_8', 'iter_4') for p in _tree(work_acc)]
    (loss2, n2), (loss_acc, _) = _losses(work2), _losses(work_acc)
    assert sorted(loss2) == [1, 2, 3, 4] and n2 == 4
    # rank 0 logs the mean over both ranks (FiniteLossHook all-reduce); the logged loss is a
    # running mean (window 10), so step k matches accumulation iteration 2k
    for it in loss2:
        assert abs(loss2[it] - loss_acc[2 * it]) <= 1e-5 * loss_acc[2 * it], (it, loss2, loss_acc)
    worst = _max_diff(_weights(work2, 4), _weights(work_acc, 8))
    assert worst <= 1e-6, worst  # 0.0 measured; a gradient-reduction fault gave 3.9e-3
