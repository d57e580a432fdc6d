"""Fold a trained model's BatchNorm into its convolutions and show what it changes.

Usage:
    python tools/deployment/fuse_conv_bn.py CONFIG CHECKPOINT [--shape 224 224]
        [--runs 5] [--threads N] [--channels-last]

Loads the checkpoint (weights-only), folds every conv -> BN pair (transposed convolutions
included), and prints the number of BatchNorm layers folded, the largest difference of the
logits on a random image (with the logits' range for scale) and the inference time before and
after (medians of ``--runs``). The same folding is the ``--fuse`` switch of
``tools/test.py``, ``tools/parse_faces.py`` and ``tools/deployment/pytorch2onnx.py``.
"""

import argparse
import copy
import sys

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmseg.registry import MODELS

import rednet_mmseg  # noqa: F401  (registers the components, applies upstream workarounds)
from rednet_mmseg.deployment.fuse_conv_bn import count_batchnorms, fuse_conv_bn
from rednet_mmseg.utils.timing import median_seconds
from rednet_mmseg.utils.upstream_compat import checkpoint_policy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint', help='checkpoint (loaded weights-only)')
    parser.add_argument('--shape', type=int, nargs=2, default=[224, 224])
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--threads', type=int, default=0)
    parser.add_argument('--channels-last', action='store_true')
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(cfg.model)
    with checkpoint_policy():  # weights only, torch >= 2.6 (upstream_compat #2)
        load_checkpoint(model, args.checkpoint, map_location='cpu')
    model.eval()
    fused, count = fuse_conv_bn(copy.deepcopy(model))
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    model, fused = model.to(memory_format=fmt), fused.to(memory_format=fmt)
    x = torch.rand(1, 3, *args.shape).contiguous(memory_format=fmt)

    def logits(m):
        return m.decode_head(m.extract_feat(x))

    with torch.no_grad():
        before, after = logits(model), logits(fused)
        t_before = median_seconds(lambda: logits(model), args.runs)
        t_after = median_seconds(lambda: logits(fused), args.runs)
    diff = float((before - after).abs().max())
    print(
        f'folded {count} BatchNorm layers ({count_batchnorms(fused)} left); largest logit '
        f'difference {diff:.3g} (logits within +-{float(before.abs().max()):.3g})'
    )
    print(
        f'inference, batch 1, {args.shape[0]}x{args.shape[1]}, {torch.get_num_threads()} '
        f'threads, median of {args.runs}: {1000 * t_before:.0f} ms -> {1000 * t_after:.0f} ms '
        'folded'
    )


if __name__ == '__main__':
    sys.exit(main())
