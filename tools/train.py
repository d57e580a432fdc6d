# Adapted from MMSegmentation 1.2.2 tools/train.py (Apache-2.0, OpenMMLab).
# Configs load the plugin through custom_imports; importing it here as well makes the
# upstream workarounds active before the Runner touches mmseg.models.
"""Train a config with MMEngine's Runner, as mmseg's tools/train.py.

Adds the plugin's checks: fine-tuning weights that ``load_from`` leaves unloaded are named, and
``--resume`` falls back to the previous checkpoint when the last one is corrupt.
"""

import argparse
import logging
import os
import os.path as osp

from mmengine.config import DictAction
from mmengine.logging import print_log
from mmengine.runner import Runner
from mmseg.registry import RUNNERS

import rednet_mmseg  # noqa: F401
from rednet_mmseg.utils.checkpoint_fit import report_load_from
from rednet_mmseg.utils.cli_args import add_pipeline_arguments, config_from_args
from rednet_mmseg.utils.output_dir import OutputDirError, check_output_dir
from rednet_mmseg.utils.quiet import hide_upstream_warnings
from rednet_mmseg.utils.run_errors import one_line_errors


def parse_args():
    parser = argparse.ArgumentParser(description='Train a segmentor')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    add_pipeline_arguments(parser)
    parser.add_argument(
        '--resume',
        action='store_true',
        default=False,
        help='resume from the latest checkpoint in the work_dir automatically',
    )
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='enable automatic-mixed-precision training',
    )
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate from auto_scale_lr.base_batch_size to the actual '
        'total batch (processes x batch per process)',
    )
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file. If the value to '
        'be overwritten is a list, it should be like key="[a,b]" or key=a,b '
        'It also allows nested list/tuple values, e.g. key="[(a,b),(c,d)]" '
        'Note that the quotation marks are necessary and that no white space '
        'is allowed.',
    )
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher',
    )
    # When using PyTorch version >= 2.0.0, the `torch.distributed.launch`
    # will pass the `--local-rank` parameter to `tools/train.py` instead
    # of `--local_rank`.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)

    return args


def _enable_amp(cfg) -> None:
    """``--amp``: automatic mixed precision through mmengine's ``AmpOptimWrapper``."""
    optim_wrapper = cfg.optim_wrapper.type
    if optim_wrapper == 'AmpOptimWrapper':
        print_log(
            'AMP training is already enabled in your config.',
            logger='current',
            level=logging.WARNING,
        )
        return
    if optim_wrapper != 'OptimWrapper':
        raise SystemExit(
            '`--amp` is only supported when the optimizer wrapper type is '
            f'`OptimWrapper` but got {optim_wrapper}.'
        )
    cfg.optim_wrapper.type = 'AmpOptimWrapper'
    cfg.optim_wrapper.loss_scale = 'dynamic'


def main():
    args = parse_args()
    hide_upstream_warnings()  # pkg_resources, build_loss: not the user's concern

    cfg = config_from_args(args)  # a missing file, a syntax error: one line
    work_dir_existed = osp.isdir(cfg.work_dir)
    try:  # a bad --work-dir fails now, not after the first checkpoint interval
        check_output_dir(cfg.work_dir, 'work_dir')
    except OutputDirError as err:
        raise SystemExit(f'error: {err}')

    if args.auto_scale_lr:
        if 'auto_scale_lr' not in cfg or 'base_batch_size' not in cfg.auto_scale_lr:
            raise SystemExit(f'error: {args.config} has no auto_scale_lr.base_batch_size')
        cfg.auto_scale_lr.enable = True

    if args.amp:
        _enable_amp(cfg)

    # resume training
    cfg.resume = args.resume

    # a misspelt key or type, or missing data: one line, and the run's timestamped folder in
    # work_dir is removed again (as tools/test.py does)
    with one_line_errors(args.config, cfg.work_dir, work_dir_existed):
        # the config's runner_type (FaceRunner in this project's configs), else mmengine's
        runner = RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(cfg)

        # fine-tuning: say which weights load_from leaves unloaded (mmengine only logs key lists)
        report_load_from(runner)
        # start training
        runner.train()


if __name__ == '__main__':
    main()
