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
from statistics import median

import torch

from rednet_mmseg.utils.pipeline_edit import set_step_args
from rednet_mmseg.utils.timing import StageTimes, seconds_per_call, train_step_seconds

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


def _per_transform(loader_cfg) -> None:
    """Print where a training image's time goes: each transform timed in the main process."""
    from mmengine.dataset import Compose
    from mmseg.registry import DATASETS

    dataset = DATASETS.build(dict(loader_cfg.dataset, pipeline=[]))
    steps = Compose(loader_cfg.dataset.pipeline).transforms
    times = StageTimes()
    n = min(len(dataset), 4 * loader_cfg.batch_size)
    for i in range(n):
        results = dataset.pipeline(dataset.get_data_info(i))
        for t in steps:
            with times(type(t).__name__):
                results = t(results)
    spent = {k: sum(v) / n for k, v in times.seconds.items()}
    print(
        f'per image, main process: {1000 * sum(spent.values()):.1f} ms = '
        + ', '.join(f'{k} {1000 * v:.1f}' for k, v in sorted(spent.items(), key=lambda kv: -kv[1]))
    )


def _model_step_s(config: str, loader_cfg) -> float:
    """Median seconds of the model's training step on one batch of the pipeline's output."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    from mmseg.registry import MODELS

    model = MODELS.build(Config.fromfile(osp.join(REPO, config)).model)
    model.init_weights()
    loader = Runner.build_dataloader(dict(loader_cfg, num_workers=0, persistent_workers=False))
    data = model.data_preprocessor(next(iter(loader)), True)
    return median(train_step_seconds(model, data, iters=1, repeats=3))


def _loader_rate(loader_cfg, workers: int, batches: int) -> float:
    """Images per second a data loader with ``workers`` workers delivers (after its first batch)."""
    from mmengine.runner import Runner

    loader_cfg = dict(loader_cfg, num_workers=workers, persistent_workers=False)
    loader = Runner.build_dataloader(loader_cfg)
    it = iter(loader)
    next(it)  # workers started, first batch ready
    return loader_cfg['batch_size'] / seconds_per_call(lambda: next(it), batches, warmup=0)[0]


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

    import rednet_mmseg  # noqa: F401

    init_default_scope('mmseg')
    with tempfile.TemporaryDirectory(prefix='pipeline-bench-') as tmp:
        root = args.data_root or synthetic_root(tmp)
        cfg = Config.fromfile(osp.join(REPO, args.config))
        loader_cfg = cfg.train_dataloader
        loader_cfg.dataset.data_root = root
        set_step_args(cfg, ['LoadFacePrior'], bank_file=osp.join(root, 'prior_bank.npz'))
        batch = loader_cfg.batch_size
        print(f'{args.config}: batch {batch}, data {root}, torch threads {torch.get_num_threads()}')
        _per_transform(loader_cfg)
        step_s = args.model_step_s or _model_step_s(args.config, loader_cfg)
        model_ips = batch / step_s
        print(f'model: {step_s:.2f} s per training step = {model_ips:.1f} images/s')
        print('| loader workers | images/s | x the model |')
        print('|---|---|---|')
        for workers in args.workers:
            ips = _loader_rate(loader_cfg, workers, args.batches)
            print(f'| {workers} | {ips:.1f} | {ips / model_ips:.1f} |')


if __name__ == '__main__':
    main()
