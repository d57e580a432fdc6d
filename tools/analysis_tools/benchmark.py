"""Measure a config's model: parameters, size, FLOPs, training-step and inference time.

Usage:
    python tools/analysis_tools/benchmark.py CONFIG [CONFIG ...] [--shape 224 224]
        [--batch 8] [--iters 5] [--device cpu] [--json out.json]

Runs on random inputs of the given shape (no data set needed); numbers are for this machine.
FLOPs come from mmengine's complexity analysis (one multiply-add = one FLOP).
"""
import argparse
import json
import time

import torch
from mmengine.analysis import get_model_complexity_info
from mmengine.config import Config
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmengine.structures import PixelData

import rednet_mmseg  # noqa: F401


def _fake_batch(num_classes, batch, h, w, device):
    inputs = torch.rand(batch, 3, h, w, device=device)
    samples = []
    for _ in range(batch):
        s = SegDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w)))
        s.gt_sem_seg = PixelData(data=torch.randint(0, num_classes, (1, h, w), device=device))
        samples.append(s)
    return inputs, samples


def _timed(fn, iters, device):
    fn()  # warm-up
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / iters


def benchmark(config, shape, batch, iters, device):
    init_default_scope('mmseg')
    cfg = Config.fromfile(config)
    model = revert_sync_batchnorm(MODELS.build(cfg.model)).to(device)
    model.init_weights()
    h, w = shape
    num_classes = cfg.model.decode_head.num_classes
    params = sum(p.numel() for p in model.parameters())
    flops = get_model_complexity_info(model, input_shape=(3, h, w), show_table=False,
                                      show_arch=False)['flops']
    inputs, samples = _fake_batch(num_classes, batch, h, w, device)
    optim = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)

    def train_step():
        model.train()
        losses = model.loss(inputs, samples)
        loss = sum(v for k, v in losses.items() if 'loss' in k)
        optim.zero_grad()
        loss.backward()
        optim.step()

    def infer():
        model.eval()
        with torch.no_grad():
            model.predict(inputs[:1], samples[:1])

    train_s = _timed(train_step, iters, device)
    infer_s = _timed(infer, iters, device)
    return dict(config=config, params_M=params / 1e6, size_MiB=params * 4 / 2**20,
                size_MB=params * 4 / 1e6, GFLOPs_per_image=flops / 1e9,
                train_step_s=train_s, train_batch=batch, infer_s_per_image=infer_s,
                images_per_s=1 / infer_s, input=f'{h}x{w}', device=device,
                threads=torch.get_num_threads())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--shape', type=int, nargs=2, default=[224, 224])
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--iters', type=int, default=5)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--json', help='also write the rows to this JSON file')
    args = parser.parse_args()
    rows = [benchmark(c, args.shape, args.batch, args.iters, args.device)
            for c in args.configs]
    head = f'{"config":60s} {"params(M)":>9s} {"MiB":>7s} {"GFLOPs":>7s} ' \
           f'{"train s/it":>10s} {"infer s/img":>11s}'
    print(head)
    for r in rows:
        print(f'{r["config"][-60:]:60s} {r["params_M"]:9.2f} {r["size_MiB"]:7.1f} '
              f'{r["GFLOPs_per_image"]:7.2f} {r["train_step_s"]:10.3f} '
              f'{r["infer_s_per_image"]:11.3f}')
    print(f'(input {rows[0]["input"]}, train batch {args.batch}, device {args.device}, '
          f'{rows[0]["threads"]} threads)')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(rows, f, indent=2)


if __name__ == '__main__':
    main()
