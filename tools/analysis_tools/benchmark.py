"""Compare models on this machine: size, FLOPs, speed, memory.

Inference and training speed, peak memory, and how much of the machine's own matrix-multiply rate
each model achieves.

Usage:
    python tools/analysis_tools/benchmark.py [CONFIG ...] [--shape 224 224] [--batch 8]
        [--iters 3] [--repeats 5] [--threads N] [--device cpu|cuda] [--amp]
        [--channels-last] [--fuse] [--json out.json]

Without CONFIGs it runs RED-Net and the toolbox baselines of ``DEFAULT_CONFIGS``. Every model
is measured in its own child process (so peak memory is that model's alone) on random inputs
of the given shape; no data set is needed. FLOPs come from mmengine's complexity analysis,
which counts one multiply-add as one FLOP; achieved FLOP/s below use 2 FLOPs per
multiply-add, like the matrix-multiply rate they are compared with (training step: 3x the
forward FLOPs).

So that the numbers mean something on a shared machine: the thread count is pinned
(``--threads``), every time is the median of ``--repeats`` repeats (each the mean of
``--iters`` calls) and printed with its spread (max / min - 1), and the GEMM rate (best of
BLAS and the convolution library, see :func:`gemm_flops`) is measured in the model's own
process right before and right after it (the reference is their mean; both are printed, so a
machine whose load changed during a model shows it). With ``--fuse`` the
inference is also timed with BatchNorm folded into the convolutions. When both RED-Net and
FCN-R18-D8 are in the run, their time-per-FLOP ratio is printed.
"""

import argparse
import json
import multiprocessing as mp
import os.path as osp
import resource
from statistics import median

import torch

from rednet_mmseg.utils.timing import seconds_per_call, train_step_seconds

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_CONFIGS = [
    'configs/rednet/rednet_re5-rd5a_8xb8-8k_helen-224x224.py',
    'configs/resdeconv/resdeconv_re5-deconv5_8xb8-8k_helen-224x224.py',
    'configs/deconvnet/deconvnet_vgg16-deconv5_8xb8-8k_helen-224x224.py',
    'configs/baselines/fcn_r18-d8_8xb8-8k_helen-224x224.py',
    'configs/baselines/deeplabv3plus_r18-d8_8xb8-8k_helen-224x224.py',
    'configs/baselines/unet-s5-d16_fcn_8xb8-8k_helen-224x224.py',
]


def _spread(xs):
    return max(xs) / min(xs) - 1


def gemm_flops(
    device: str, n: int = 2048, iters: int = 3, repeats: int = 7, dtype=torch.float32
) -> float:
    """The machine's fp32 matrix-multiply rate in FLOP/s.

    The best of ``repeats`` for an ``n x n`` ``torch.matmul`` (BLAS) and for the same GEMM run by
    the convolution library (a 1x1 convolution, ``n/2`` channels on 64x64 NHWC pixels; oneDNN on
    CPU, cuDNN on GPU), the faster of the two. On AMD CPUs torch's BLAS reaches only about 2/3 of
    what oneDNN's GEMM does (measured: 141 vs 210 GFLOP/s on 2 EPYC threads), so a BLAS-only
    reference would put convolution networks above 100 %.
    """
    a = torch.rand(n, n, device=device, dtype=dtype)
    b = torch.rand(n, n, device=device, dtype=dtype)
    blas = 2 * n**3 / min(seconds_per_call(lambda: a @ b, iters, repeats, device=device))
    c = n // 2
    x = torch.rand(1, c, 64, 64, device=device, dtype=dtype)
    w = torch.rand(c, c, 1, 1, device=device, dtype=dtype)
    x, w = (t.contiguous(memory_format=torch.channels_last) for t in (x, w))
    with torch.no_grad():
        conv_s = min(
            seconds_per_call(
                lambda: torch.nn.functional.conv2d(x, w), iters, repeats, device=device
            )
        )
    return max(blas, 2 * c * c * 64 * 64 / conv_s)


def _build(config: str, device: str):
    """The config's model on ``device``, initialised, SyncBN reverted."""
    from mmengine.config import Config
    from mmengine.model import revert_sync_batchnorm
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    import rednet_mmseg  # noqa: F401

    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, config))
    model = revert_sync_batchnorm(MODELS.build(cfg.model)).to(device)
    model.init_weights()
    return model


def _random_batch(model, batch: int, h: int, w: int, device: str, channels_last: bool) -> dict:
    """Random ``inputs`` and data samples (labels; a prior where the model refines with one)."""
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample

    num_classes = model.decode_head.num_classes
    inputs = torch.rand(batch, 3, h, w, device=device)
    if channels_last:
        inputs = inputs.contiguous(memory_format=torch.channels_last)
    samples = []
    for _ in range(batch):
        s = SegDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w)))
        s.gt_sem_seg = PixelData(data=torch.randint(0, num_classes, (1, h, w), device=device))
        if hasattr(model, 'refine_scores'):  # PriorEncoderDecoder: Eq. 2 needs the prior
            prior = torch.rand(num_classes, h, w, device=device)
            s.face_prior = PixelData(data=prior / prior.sum(0, keepdim=True))
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples)


def _measure(args) -> dict:
    config, (h, w), batch, iters, device, amp, channels_last, repeats, threads, fuse = args
    if threads:
        torch.set_num_threads(threads)
    gemm_before = gemm_flops(device)
    from mmengine.analysis import get_model_complexity_info

    model = _build(config, device)
    params = sum(p.numel() for p in model.parameters())
    model.eval()  # batch-1 analysis: BN must not need batch statistics
    macs = get_model_complexity_info(
        model, input_shape=(3, h, w), show_table=False, show_arch=False
    )['flops']
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    data = _random_batch(model, batch, h, w, device, channels_last)
    autocast = torch.autocast(device_type=device.split(':')[0], enabled=amp)

    def infer():
        model.eval()
        with torch.no_grad(), autocast:
            model.predict(data['inputs'][:1], data['data_samples'][:1])

    if device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    train_all = train_step_seconds(model, data, iters, repeats, device, amp)
    infer_all = seconds_per_call(infer, iters, repeats, device=device)
    fused_all = None
    if fuse:
        from rednet_mmseg.deployment.fuse_conv_bn import fuse_conv_bn

        fuse_conv_bn(model.eval())
        fused_all = seconds_per_call(infer, iters, repeats, device=device)
    gemm_after = gemm_flops(device)
    peak = (
        torch.cuda.max_memory_allocated()
        if device.startswith('cuda')
        else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    )
    return _row(config, params, macs, batch, train_all, infer_all, fused_all, peak) | dict(
        gemm_before_TFLOPs=gemm_before / 1e12,
        gemm_after_TFLOPs=gemm_after / 1e12,
        threads=torch.get_num_threads(),
    )


def _row(config, params, macs, batch, train_all, infer_all, fused_all, peak) -> dict:
    """One model's numbers from its measured times (medians and spreads)."""
    train_s, infer_s = median(train_all), median(infer_all)
    return dict(
        config=config,
        params_M=params / 1e6,
        size_MiB=params * 4 / 2**20,
        GFLOPs=macs / 1e9,
        infer_ms=1000 * infer_s,
        images_per_s=1 / infer_s,
        train_step_s=train_s,
        batch=batch,
        peak_mem_GiB=peak / 2**30,
        infer_TFLOPs=2 * macs / infer_s / 1e12,
        train_TFLOPs=3 * 2 * macs * batch / train_s / 1e12,
        infer_spread=_spread(infer_all),
        train_spread=_spread(train_all),
        fused_infer_ms=1000 * median(fused_all) if fused_all else None,
        fused_spread=_spread(fused_all) if fused_all else None,
    )


def _print_table(rows, args, name: str) -> None:
    """The markdown table of the rows, and RED-Net's time per FLOP against FCN-R18-D8's."""
    print(
        f'{name}; input {args.shape[0]}x{args.shape[1]}; train batch {args.batch}; '
        f'amp={args.amp}; channels_last={args.channels_last}; medians of {args.repeats} '
        f'repeats x {args.iters} calls, spread = max/min - 1'
    )
    print(
        '| config | params (M) | GFLOPs | GEMM TFLOP/s before / after | infer ms (spread) | '
        'fused ms (spread) | train s/step (spread) | peak GiB | infer % GEMM | '
        'fused % GEMM | train % GEMM |'
    )
    print('|' + '---|' * 11)
    for r in rows:
        ref = (r['gemm_before_TFLOPs'] + r['gemm_after_TFLOPs']) / 2 * 1e12
        r['gemm_ref_TFLOPs'] = ref / 1e12
        fused = (
            f'{r["fused_infer_ms"]:.0f} ({100 * r["fused_spread"]:.0f} %)'
            if r['fused_infer_ms']
            else '-'
        )
        fused_pct = (
            f'{100 * 2 * r["GFLOPs"] * 1e9 / (r["fused_infer_ms"] / 1000) / ref:.1f}'
            if r['fused_infer_ms']
            else '-'
        )
        print(
            f'| {osp.basename(r["config"])[:-3]} | {r["params_M"]:.2f} | {r["GFLOPs"]:.1f} | '
            f'{r["gemm_before_TFLOPs"]:.3f} / {r["gemm_after_TFLOPs"]:.3f} | '
            f'{r["infer_ms"]:.0f} ({100 * r["infer_spread"]:.0f} %) | {fused} | '
            f'{r["train_step_s"]:.2f} ({100 * r["train_spread"]:.0f} %) | '
            f'{r["peak_mem_GiB"]:.2f} | {100 * r["infer_TFLOPs"] * 1e12 / ref:.1f} | '
            f'{fused_pct} | {100 * r["train_TFLOPs"] * 1e12 / ref:.1f} |'
        )
    red = next((r for r in rows if 'rednet_re5-rd5a' in r['config']), None)
    fcn = next((r for r in rows if 'fcn_r18-d8_8xb8-8k' in r['config']), None)
    if red and fcn:

        def per_flop(r, key):
            return r[key] / r['GFLOPs']

        print(
            'RED-Net / FCN-R18-D8 time per FLOP (same run): inference '
            f'{per_flop(red, "infer_ms") / per_flop(fcn, "infer_ms"):.2f}, training step '
            f'{per_flop(red, "train_step_s") / per_flop(fcn, "train_step_s"):.2f}'
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='*', default=DEFAULT_CONFIGS)
    parser.add_argument('--shape', type=int, nargs=2, default=[224, 224])
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--amp', action='store_true', help='autocast (bf16 on CPU)')
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument('--repeats', type=int, default=5, help='repeats per time (median)')
    parser.add_argument('--threads', type=int, default=0, help='torch threads (0: default)')
    parser.add_argument('--fuse', action='store_true', help='also time BN-folded inference')
    parser.add_argument('--json', help='also write the rows to this JSON file')
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    ctx = mp.get_context('spawn')
    rows = []
    for config in args.configs:
        with ctx.Pool(1) as pool:  # one process per model: its own peak memory
            job = (config, tuple(args.shape), args.batch, args.iters, args.device, args.amp)
            job += (args.channels_last, args.repeats, args.threads, args.fuse)
            rows.append(pool.apply(_measure, (job,)))
    name = (
        torch.cuda.get_device_name()
        if args.device.startswith('cuda')
        else f'CPU, {rows[0]["threads"]} threads'
    )
    _print_table(rows, args, name)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(device=name, rows=rows, args=vars(args)), f, indent=2)


if __name__ == '__main__':
    main()
