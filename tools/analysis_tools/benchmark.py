"""Compare models on this machine: size, FLOPs, inference and training speed, peak memory, and
how much of the machine's own matrix-multiply rate each model achieves.

Usage:
    python tools/analysis_tools/benchmark.py [CONFIG ...] [--shape 224 224] [--batch 8]
        [--iters 3] [--device cpu|cuda] [--amp] [--channels-last] [--json out.json]

Without CONFIGs it runs RED-Net and the toolbox baselines of ``DEFAULT_CONFIGS``. Every model
is measured in its own child process (so peak memory is that model's alone) on random inputs
of the given shape; no data set is needed. FLOPs come from mmengine's complexity analysis,
which counts one multiply-add as one FLOP; achieved FLOP/s below use 2 FLOPs per
multiply-add, like the matrix-multiply rate they are compared with (training step: 3x the
forward FLOPs).
"""

import argparse
import json
import multiprocessing as mp
import os.path as osp
import resource
import time

import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_CONFIGS = [
    'configs/rednet/rednet_re5-rd5a_8xb8-8k_helen-224x224.py',
    'configs/resdeconv/resdeconv_re5-deconv5_8xb8-8k_helen-224x224.py',
    'configs/deconvnet/deconvnet_vgg16-deconv5_8xb8-8k_helen-224x224.py',
    'configs/baselines/fcn_r18-d8_8xb8-8k_helen-224x224.py',
    'configs/baselines/deeplabv3plus_r18-d8_8xb8-8k_helen-224x224.py',
    'configs/baselines/unet-s5-d16_fcn_8xb8-8k_helen-224x224.py',
]


def _sync(device):
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def _timed(fn, iters, device):
    fn()  # warm-up
    _sync(device)
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    _sync(device)
    return (time.perf_counter() - start) / iters


def gemm_flops(device: str, n: int = 2048, iters: int = 10, dtype=torch.float32) -> float:
    """Measured FLOP/s of an ``n x n`` matrix multiply (2 n^3 FLOPs)."""
    a = torch.rand(n, n, device=device, dtype=dtype)
    b = torch.rand(n, n, device=device, dtype=dtype)
    return 2 * n**3 / _timed(lambda: a @ b, iters, device)


def _measure(args) -> dict:
    config, (h, w), batch, iters, device, amp, channels_last = args
    from mmengine.analysis import get_model_complexity_info
    from mmengine.config import Config
    from mmengine.model import revert_sync_batchnorm
    from mmengine.registry import init_default_scope
    from mmengine.structures import PixelData
    from mmseg.registry import MODELS
    from mmseg.structures import SegDataSample

    import rednet_mmseg  # noqa: F401

    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, config))
    model = revert_sync_batchnorm(MODELS.build(cfg.model)).to(device)
    model.init_weights()
    params = sum(p.numel() for p in model.parameters())
    model.eval()  # batch-1 analysis: BN must not need batch statistics
    macs = get_model_complexity_info(
        model, input_shape=(3, h, w), show_table=False, show_arch=False
    )['flops']
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    inputs = torch.rand(batch, 3, h, w, device=device)
    if channels_last:
        inputs = inputs.contiguous(memory_format=torch.channels_last)
    samples = []
    for _ in range(batch):
        s = SegDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w)))
        s.gt_sem_seg = PixelData(data=torch.randint(0, 11, (1, h, w), device=device))
        samples.append(s)
    optim = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
    autocast = torch.autocast(device_type=device.split(':')[0], enabled=amp)
    scaler = torch.amp.GradScaler(enabled=amp and device.startswith('cuda'))

    def train_step():
        model.train()
        with autocast:
            losses = model.loss(inputs, samples)
            loss = sum(v for k, v in losses.items() if 'loss' in k)
        optim.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optim)
        scaler.update()

    def infer():
        model.eval()
        with torch.no_grad(), autocast:
            model.predict(inputs[:1], samples[:1])

    if device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    train_s = _timed(train_step, iters, device)
    infer_s = _timed(infer, iters, device)
    peak = (
        torch.cuda.max_memory_allocated()
        if device.startswith('cuda')
        else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    )
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
    parser.add_argument('--json', help='also write the rows to this JSON file')
    args = parser.parse_args()
    peak = gemm_flops(args.device)
    ctx = mp.get_context('spawn')
    rows = []
    for config in args.configs:
        with ctx.Pool(1) as pool:  # one process per model: its own peak memory
            rows.append(
                pool.apply(
                    _measure,
                    (
                        (
                            config,
                            tuple(args.shape),
                            args.batch,
                            args.iters,
                            args.device,
                            args.amp,
                            args.channels_last,
                        ),
                    ),
                )
            )
    name = (
        torch.cuda.get_device_name()
        if args.device.startswith('cuda')
        else f'CPU, {torch.get_num_threads()} threads'
    )
    print(
        f'{name}; input {args.shape[0]}x{args.shape[1]}; train batch {args.batch}; '
        f'amp={args.amp}; channels_last={args.channels_last}; '
        f'measured fp32 GEMM rate {peak / 1e12:.3f} TFLOP/s'
    )
    head = (
        f'| {"config":<52} | params (M) | MiB | GFLOPs | infer ms | img/s | '
        f'train s/step | peak GiB | infer % GEMM | train % GEMM |'
    )
    print(head)
    print('|' + '---|' * 10)
    for r in rows:
        print(
            f'| {osp.basename(r["config"])[:-3]:<52} | {r["params_M"]:.2f} | '
            f'{r["size_MiB"]:.1f} | {r["GFLOPs"]:.1f} | {r["infer_ms"]:.0f} | '
            f'{r["images_per_s"]:.2f} | {r["train_step_s"]:.2f} | {r["peak_mem_GiB"]:.2f} | '
            f'{100 * r["infer_TFLOPs"] * 1e12 / peak:.1f} | '
            f'{100 * r["train_TFLOPs"] * 1e12 / peak:.1f} |'
        )
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(device=name, gemm_TFLOPs=peak / 1e12, rows=rows), f, indent=2)


if __name__ == '__main__':
    main()
