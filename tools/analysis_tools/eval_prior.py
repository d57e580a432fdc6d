"""Score the adaptive prior alone (argmax of the kNN prior of Eq. 5, no network).

With a config's test data and evaluator: the baseline that RED-Net + prior must beat.

Usage:
    python tools/analysis_tools/eval_prior.py CONFIG [--split test|val]
        [--prior-bank BANK.npz] [--landmarks TABLE.txt] [--cfg-options KEY=VALUE ...]

CONFIG is any config with a prior pipeline (``LoadFacePrior`` ... ``PackFaceInputs``), e.g.
configs/rednet_helen_cpu.py. Each test image's prior
(computed at the network's input scale, as in inference) is mapped back to the image's own
resolution exactly as a network's scores are (the segmentor's ``postprocess_result``), and the
evaluator prints the same table as ``tools/test.py``.
"""

import argparse

import torch
from mmengine.config import Config, DictAction
from mmengine.evaluator import Evaluator
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmseg.registry import MODELS

from rednet_mmseg.utils.cli_args import add_pipeline_arguments, apply_pipeline_arguments


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--split', choices=('test', 'val'), default='test')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    add_pipeline_arguments(parser)
    return parser.parse_args(argv)


def evaluate_prior(cfg: Config, split: str = 'test') -> dict:
    """The evaluator's metrics of the prior alone on ``split`` of ``cfg``'s data."""
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    import rednet_mmseg  # noqa: F401  (registers the transforms, metric and segmentors)

    loader = Runner.build_dataloader(
        dict(cfg[f'{split}_dataloader'], num_workers=0, persistent_workers=False)
    )
    evaluator = Evaluator(cfg[f'{split}_evaluator'])
    evaluator.dataset_meta = loader.dataset.metainfo
    model = MODELS.build(cfg.model)  # only for postprocess_result (resize back, un-pad)
    for batch in loader:
        samples = batch['data_samples']
        for sample in samples:
            if 'face_prior' not in sample:
                raise ValueError(
                    f'{sample.img_path}: no face_prior; {split}_dataloader needs '
                    'LoadFacePrior and PackFaceInputs'
                )
        with torch.no_grad():
            scores = [model.postprocess_result(s.face_prior.data[None], [s])[0] for s in samples]
        evaluator.process(scores, batch)
    return evaluator.evaluate(len(loader.dataset))


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    try:
        apply_pipeline_arguments(cfg, args)
    except ValueError as err:
        raise SystemExit(f'error: {err}')
    try:
        metrics = evaluate_prior(cfg, args.split)
    except ValueError as err:
        raise SystemExit(f'error: {err}')
    for key in ('F1.overall', 'aAcc', 'mF1'):
        if key in metrics:
            print(f'{key}: {metrics[key]:.2f}')


if __name__ == '__main__':
    main()
