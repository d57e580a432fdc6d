# Copyright (c) rednet-mmseg. Export a trained face parser to ONNX and check it with onnxruntime.
"""Export a face parsing model to ONNX; compare it with PyTorch on the same inputs.

    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT --out model.onnx
        [--shape 224 224] [--batch 1] [--prior] [--exporter dynamo|torchscript] [--opset 18]
        [--fuse] [--dynamic] [--time N]

The graph takes the image as ``cv2.imread`` gives it (float32 BGR 0-255, ``N x 3 x H x W``;
normalisation is inside) and, with ``--prior``, the kNN prior map (``N x K x H x W``, from
``PriorBank.prior_for_image``); it returns ``scores`` (``N x K x H x W``) and ``labels``
(``N x H x W``). ``--dynamic``: batch, height and width stay free (one file for inputs of
any size, as the parsing tools' ``--backend onnxruntime`` uses). Needs the ``onnx`` extra:
``pip install -e ".[lite,onnx]"``.
"""

import argparse
import os
import os.path as osp
import sys

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmseg.registry import MODELS

import rednet_mmseg  # noqa: F401  (registers the components, applies upstream workarounds)
from rednet_mmseg.deployment import FaceParsingExportModel, compare_with_onnxruntime, export_onnx
from rednet_mmseg.deployment.fuse_conv_bn import fuse_conv_bn
from rednet_mmseg.utils.output_dir import OutputDirError, check_output_dir
from rednet_mmseg.utils.timing import median_seconds
from rednet_mmseg.utils.upstream_compat import checkpoint_policy


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint', help='checkpoint (loaded weights-only)')
    parser.add_argument('--out', required=True, help='output .onnx file')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        default=None,
        metavar=('H', 'W'),
        help="input size (default: the config's crop_size or 224 224)",
    )
    parser.add_argument('--batch', type=int, default=1)
    parser.add_argument(
        '--prior',
        action='store_true',
        help='include the adaptive prior (Eq. 6-8); adds a "prior" input',
    )
    parser.add_argument('--exporter', choices=['dynamo', 'torchscript'], default='dynamo')
    parser.add_argument(
        '--dynamic',
        action='store_true',
        help='batch, height and width stay inputs of the graph (dynamo exporter only)',
    )
    parser.add_argument('--opset', type=int, default=18)
    parser.add_argument(
        '--time',
        type=int,
        default=0,
        metavar='N',
        help='also time PyTorch and onnxruntime (median of N runs each)',
    )
    parser.add_argument(
        '--fuse', action='store_true', help='fold BatchNorm into the convolutions first'
    )
    parser.add_argument('--no-verify', action='store_true', help='skip the onnxruntime check')
    parser.add_argument(
        '--prob-tol',
        type=float,
        default=1e-4,
        help='largest accepted difference of the class probabilities (default: 1e-4)',
    )
    args = parser.parse_args(argv)
    if args.dynamic and args.exporter != 'dynamo':
        parser.error('--dynamic needs --exporter dynamo')
    return args


def time_both(wrapper, path, inputs, runs):
    """Median seconds per call of the PyTorch module and the ONNX file on ``inputs``."""
    import onnxruntime as ort

    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    feed = {k: v.numpy() for k, v in inputs.items()}
    with torch.no_grad():
        t_torch = median_seconds(lambda: wrapper(*inputs.values()), runs)
    return dict(torch=t_torch, onnxruntime=median_seconds(lambda: sess.run(None, feed), runs))


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    try:
        check_output_dir(osp.dirname(osp.abspath(args.out)), '--out directory')
    except OutputDirError as err:
        raise SystemExit(f'error: {err}')
    model = MODELS.build(cfg.model)
    with checkpoint_policy():  # weights only, torch >= 2.6 (upstream_compat #2)
        load_checkpoint(model, args.checkpoint, map_location='cpu')
    if args.fuse:
        fuse_conv_bn(model.eval())
    shape = args.shape or tuple(cfg.get('crop_size', (224, 224)))
    num_classes = model.decode_head.num_classes
    wrapper = FaceParsingExportModel(model, with_prior=args.prior)
    tmp = args.out + '.partial'
    try:
        inputs = export_onnx(
            wrapper,
            tmp,
            (args.batch, 3, *shape),
            num_classes,
            args.opset,
            args.exporter,
            dynamic=args.dynamic,
        )
        if not args.no_verify:
            res = compare_with_onnxruntime(wrapper, tmp, inputs)
            print(
                f'onnxruntime vs PyTorch on the same random input: max abs difference of '
                f'the scores {res["max_abs_diff"]:.3g} (scores up to '
                f'{res["max_abs_score"]:.3g}), of the class probabilities '
                f'{res["max_prob_diff"]:.3g}; labels agree on '
                f'{100 * res["label_agreement"]:.2f} % of the pixels'
            )
            if res['max_prob_diff'] > args.prob_tol:
                raise SystemExit(
                    f"error: the ONNX model's probabilities differ from "
                    f"PyTorch's by {res['max_prob_diff']:.3g} > --prob-tol "
                    f'{args.prob_tol}; '
                    f'{args.out} was not written'
                )
        if args.time:
            t = time_both(wrapper, tmp, inputs, args.time)
            print(
                f'median of {args.time} runs, batch {args.batch}, '
                f'{torch.get_num_threads()} threads: PyTorch {1000 * t["torch"]:.0f} ms, '
                f'onnxruntime {1000 * t["onnxruntime"]:.0f} ms'
            )
        os.replace(tmp, args.out)  # no half-written model under the final name
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
    print(f'wrote {args.out} (inputs: {", ".join(inputs)}; outputs: scores, labels)')


if __name__ == '__main__':
    sys.exit(main())
