"""train.py -> checkpoint -> test.py on CPU, as a user runs them."""

import glob
import json
import os
import os.path as osp

import cv2
import numpy as np
import torch

from rednet_mmseg.evaluation.metrics.face_parsing_metric import (
    HELEN_GROUPS,
    confusion_matrix,
    group_f1,
)
from rednet_mmseg.testing.tool_runner import run_process

CONFIG = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'


def _run(args, cwd):
    res = run_process(cwd, *args, check=True)
    return res.stdout + res.stderr


def test_train_checkpoint_resume_test(helen_converted, tmp_path, repo_root):
    work = str(tmp_path / 'work')
    opts = [
        '--cfg-options',
        f'train_dataloader.dataset.data_root={helen_converted}',
        f'val_dataloader.dataset.data_root={helen_converted}',
        f'test_dataloader.dataset.data_root={helen_converted}',
        'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
    ]
    _run(
        [
            'tools/train.py',
            CONFIG,
            '--work-dir',
            work,
            *opts,
            'train_cfg.max_iters=4',
            'train_cfg.val_interval=4',
            'default_hooks.checkpoint.interval=2',
        ],
        repo_root,
    )
    assert osp.isfile(osp.join(work, 'iter_4.pth'))
    # resume from the run's own checkpoint (full unpickling is allowed for resume)
    log = _run(
        [
            'tools/train.py',
            CONFIG,
            '--work-dir',
            work,
            '--resume',
            *opts,
            'train_cfg.max_iters=6',
            'train_cfg.val_interval=6',
            'default_hooks.checkpoint.interval=2',
        ],
        repo_root,
    )
    assert 'resumed' in log.lower() and osp.isfile(osp.join(work, 'iter_6.pth'))

    def test(name, *extra):
        args = ['tools/test.py', CONFIG, osp.join(work, 'iter_6.pth'), '--work-dir']
        return _run([*args, str(tmp_path / name), *extra, *opts], repo_root)

    # test through the weights-only path, with painted predictions next to ground truth
    show = str(tmp_path / 'show')
    preds = tmp_path / 'preds'
    log = test('test', '--show-dir', show, '--out', str(preds))
    assert 'F1 per group' in log and 'overall' in log
    results = glob.glob(osp.join(tmp_path, 'test', '*', '*.json'))
    metrics = json.load(open(results[0]))
    assert len(glob.glob(osp.join(show, '**', '*.png'), recursive=True)) == 3
    # per-image label PNGs at the ground truth's resolution
    written = sorted(p.name for p in preds.iterdir())
    gts = sorted(os.listdir(osp.join(helen_converted, 'annotations', 'test')))
    assert written == gts
    conf = 0
    for name in gts:
        pred = cv2.imread(str(preds / name), cv2.IMREAD_UNCHANGED)
        gt = cv2.imread(osp.join(helen_converted, 'annotations', 'test', name), 0)
        assert pred.shape == gt.shape and pred.max() <= 10
        conf = conf + confusion_matrix(torch.from_numpy(pred), torch.from_numpy(gt), 11).numpy()
    # the printed scores are the Helen protocol applied to exactly these predictions: one
    # dataset-level confusion at the ground truth's resolution
    assert abs(metrics['aAcc'] - 100 * np.trace(conf) / conf.sum()) < 1e-6
    for group, classes in HELEN_GROUPS.items():
        expected = 100 * group_f1(conf, classes)
        assert abs(metrics[f'F1.{group}'] - expected) < 1e-6 or (
            np.isnan(expected) and np.isnan(metrics[f'F1.{group}'])
        ), group

    # --fuse: BatchNorm folded into the convolutions, the same predictions (fp32 rounding may
    # flip a pixel whose two best scores tie)
    fused = tmp_path / 'preds_fused'
    test('test_fused', '--out', str(fused), '--fuse')
    same = total = 0
    for name in gts:
        a = cv2.imread(str(preds / name), cv2.IMREAD_UNCHANGED)
        b = cv2.imread(str(fused / name), cv2.IMREAD_UNCHANGED)
        same, total = same + int((a == b).sum()), total + a.size
    assert same >= 0.999 * total, (same, total)

    # --tta: each image also mirrored (FaceSegTTAModel with the config's left/right pairs;
    # the config has no tta_pipeline, so the test pipeline is mirrored)
    mirrored = tmp_path / 'preds_tta'
    log = test('test_tta', '--out', str(mirrored), '--tta')
    assert 'F1 per group' in log and 'overall' in log
    for name in gts:
        pred = cv2.imread(str(mirrored / name), cv2.IMREAD_UNCHANGED)
        gt = cv2.imread(osp.join(helen_converted, 'annotations', 'test', name), 0)
        assert pred.shape == gt.shape and pred.max() <= 10


def test_auto_scale_lr(helen_converted, tmp_path, repo_root):
    """--auto-scale-lr: the learning rate set for batch 64 is scaled to the run's batch."""
    log = _run(
        [
            'tools/train.py',
            CONFIG,
            '--work-dir',
            str(tmp_path / 'w'),
            '--auto-scale-lr',
            '--cfg-options',
            f'train_dataloader.dataset.data_root={helen_converted}',
            f'val_dataloader.dataset.data_root={helen_converted}',
            'train_dataloader.batch_size=2',
            'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False',
            'val_dataloader.num_workers=0',
            'val_dataloader.persistent_workers=False',
            'train_cfg.max_iters=1',
            'train_cfg.val_interval=10',
        ],
        repo_root,
    )
    assert 'LR is set based on batch size of 64 and the current batch size is 2' in log
    assert 'Scaling the original LR by 0.03125' in log
