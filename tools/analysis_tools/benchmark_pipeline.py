"""Is the data pipeline ever what the model waits for?

Images per second of a config's training pipeline (the Helen prior pipeline by default: prior lookup
+ warp of 11 channels, face crop, random crop, flip) with 0, 1, 2 loader workers, against the
model's own training throughput, plus where the pipeline's time goes (per transform, in the main
process).

Usage:
    python tools/analysis_tools/benchmark_pipeline.py [CONFIG] [--data-root DIR]
        [--workers 0 1 2] [--batches 20] [--model-step-s S] [--threads N]

Without ``--data-root`` a synthetic Helen release with photo-sized images (300-500 px) is
generated, converted and given a prior bank in a temporary folder. ``--model-step-s``: the
model's training step time at the config's batch size (from ``benchmark.py``); without it
one step is measured here.
"""

import argparse
import os.path as osp
import tempfile
import time
from collections import defaultdict

import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT = 'configs/rednet/rednet_re5-rd5a_8xb8-prior-8k_helen-224x224.py'


def synthetic_root(tmp: str) -> str:
    from rednet_mmseg.datasets.converters import convert_helen
    from rednet_mmseg.datasets.prior_bank_builder import build_prior_bank
    from rednet_mmseg.testing import make_synthetic_helen

    make_synthetic_helen(osp.join(tmp, 'release'), 48, 8, 4, size_range=(300, 500), seed=0)
    root = osp.join(tmp, 'helen')
    convert_helen(osp.join(tmp, 'release'), root, progress=False)
    build_prior_bank(root)
    return root


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', nargs='?', default=DEFAULT)
    parser.add_argument('--data-root', help='converted Helen tree with prior_bank.npz')
    parser.add_argument('--workers', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--batches', type=int, default=20)
    parser.add_argument('--model-step-s', type=float, help='training step time of the model')
    parser.add_argument('--threads', type=int, default=0)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner

    import rednet_mmseg  # noqa: F401

    init_default_scope('mmseg')
    tmp = tempfile.mkdtemp(prefix='pipeline-bench-')
    root = args.data_root or synthetic_root(tmp)
    cfg = Config.fromfile(osp.join(REPO, args.config))
    loader_cfg = cfg.train_dataloader
    loader_cfg.dataset.data_root = root
    for t in loader_cfg.dataset.pipeline:
        if t['type'] == 'LoadFacePrior':
            t['bank_file'] = osp.join(root, 'prior_bank.npz')
    batch = loader_cfg.batch_size
    print(f'{args.config}: batch {batch}, data {root}, torch threads {torch.get_num_threads()}')

    # where the time goes: each transform timed in the main process
    from mmengine.dataset import Compose
    from mmseg.registry import DATASETS

    dataset = DATASETS.build(dict(loader_cfg.dataset, pipeline=[]))
    steps = Compose(loader_cfg.dataset.pipeline).transforms
    spent = defaultdict(float)
    n = min(len(dataset), 4 * batch)
    for i in range(n):
        results = dataset.get_data_info(i)
        results = dataset.pipeline(results)
        for t in steps:
            start = time.perf_counter()
            results = t(results)
            spent[type(t).__name__] += time.perf_counter() - start
    total = sum(spent.values())
    print(
        f'per image, main process: {1000 * total / n:.1f} ms = '
        + ', '.join(
            f'{k} {1000 * v / n:.1f}' for k, v in sorted(spent.items(), key=lambda kv: -kv[1])
        )
    )

    if args.model_step_s is None:
        model_cfg = Config.fromfile(osp.join(REPO, args.config))
        from mmseg.registry import MODELS

        model = MODELS.build(model_cfg.model)
        model.init_weights()
        loader = Runner.build_dataloader(dict(loader_cfg, num_workers=0, persistent_workers=False))
        data = next(iter(loader))
        optim = torch.optim.SGD(model.parameters(), lr=1e-4)
        model.train()
        times = []
        for _ in range(3):
            start = time.perf_counter()
            losses = model.loss(**model.data_preprocessor(data, True))
            sum(v for k, v in losses.items() if 'loss' in k).backward()
            optim.step()
            optim.zero_grad()
            times.append(time.perf_counter() - start)
        args.model_step_s = sorted(times)[1]
    model_ips = batch / args.model_step_s
    print(f'model: {args.model_step_s:.2f} s per training step = {model_ips:.1f} images/s')
    print('| loader workers | images/s | x the model |')
    print('|---|---|---|')
    for workers in args.workers:
        loader = Runner.build_dataloader(
            dict(loader_cfg, num_workers=workers, persistent_workers=False)
        )
        it = iter(loader)
        next(it)  # workers started, first batch ready
        start = time.perf_counter()
        for _ in range(args.batches):
            next(it)
        ips = args.batches * batch / (time.perf_counter() - start)
        print(f'| {workers} | {ips:.1f} | {ips / model_ips:.1f} |')


if __name__ == '__main__':
    main()
