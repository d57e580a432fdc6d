# Adapted from MMSegmentation 1.2.2 tools/test.py (Apache-2.0, OpenMMLab).
# Configs load the plugin through custom_imports; importing it here as well makes the
# upstream workarounds active before the Runner touches mmseg.models.
"""Test (and score) a checkpoint with a config, as mmseg's tools/test.py, with checks first.

The checkpoint must fit the config's model (``--allow-partial`` to override); errors are one
line and leave no work dir behind.
"""

import argparse
import os
import os.path as osp

from mmengine.config import DictAction
from mmengine.runner import Runner
from mmseg.registry import RUNNERS

import rednet_mmseg  # noqa: F401
from rednet_mmseg.models.segmentors.face_tta_model import face_tta_config
from rednet_mmseg.utils.checkpoint import UnsafeCheckpointError
from rednet_mmseg.utils.checkpoint_fit import CheckpointMismatchError, check_checkpoint_for_config
from rednet_mmseg.utils.cli_args import add_pipeline_arguments, config_from_args
from rednet_mmseg.utils.output_dir import OutputDirError, check_output_dir, probe_output_dir
from rednet_mmseg.utils.quiet import hide_upstream_warnings
from rednet_mmseg.utils.run_errors import one_line_errors


def parse_args():
    parser = argparse.ArgumentParser(description='MMSeg test (and eval) a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir',
        help=(
            'if specified, the evaluation metric results will be dumpedinto the directory as json'
        ),
    )
    parser.add_argument(
        '--out', type=str, help='The directory to save output prediction for offline evaluation'
    )
    parser.add_argument('--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='directory where painted images will be saved. '
        'If specified, it will be automatically saved '
        'to the work_dir/timestamp/show_dir',
    )
    parser.add_argument('--wait-time', type=float, default=2, help='the interval of show (s)')
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
    parser.add_argument(
        '--tta',
        action='store_true',
        help='test-time augmentation: each image also mirrored (left/right classes swapped back)',
    )
    parser.add_argument(
        '--fuse', action='store_true', help='fold BatchNorm into the convolutions (faster)'
    )
    parser.add_argument(
        '--allow-partial',
        action='store_true',
        help='test a checkpoint that leaves model weights unloaded or mismatched (refused by '
        "default: such scores are not the checkpoint's)",
    )
    # When using PyTorch version >= 2.0.0, the `torch.distributed.launch`
    # will pass the `--local-rank` parameter to `tools/train.py` instead
    # of `--local_rank`.
    add_pipeline_arguments(parser)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)

    return args


def trigger_visualization_hook(cfg, args):
    default_hooks = cfg.default_hooks
    if 'visualization' in default_hooks:
        visualization_hook = default_hooks['visualization']
        # Turn on visualization
        visualization_hook['draw'] = True
        if args.show:
            visualization_hook['show'] = True
            visualization_hook['wait_time'] = args.wait_time
        if args.show_dir:
            visualizer = cfg.visualizer
            visualizer['save_dir'] = args.show_dir
    else:
        raise RuntimeError(
            'VisualizationHook must be included in default_hooks.'
            'refer to usage '
            '"visualization=dict(type=\'VisualizationHook\')"'
        )

    return cfg


def _prepare_outputs(cfg, args) -> bool:
    """Check the output folders (``work_dir``, ``--out``) and the checkpoint.

    Bad paths, an unreadable checkpoint or one that does not fit the config's model fail here,
    before anything is created. A checkpoint that leaves weights unloaded would be scored as
    a random network, so it is refused unless ``--allow-partial``. Returns whether
    ``work_dir`` existed before this run.
    """
    outputs = [(cfg.work_dir, 'work_dir')] + ([(args.out, '--out')] if args.out else [])
    try:
        for path, what in outputs:
            probe_output_dir(path, what)
        with one_line_errors(args.config, cfg.work_dir, kinds=(TypeError,)):  # misspelt key
            check_checkpoint_for_config(cfg, args.checkpoint, args.allow_partial)
        work_dir_existed = osp.isdir(cfg.work_dir)
        for path, what in outputs:
            check_output_dir(path, what)
    except (
        OutputDirError,
        FileNotFoundError,
        RuntimeError,
        ValueError,
        UnsafeCheckpointError,
        CheckpointMismatchError,
    ) as err:
        raise SystemExit(f'error: {err}') from None
    return work_dir_existed


def main():
    args = parse_args()
    hide_upstream_warnings()  # pkg_resources, build_loss: not the user's concern
    cfg = config_from_args(args)
    work_dir_existed = _prepare_outputs(cfg, args)
    cfg.load_from = args.checkpoint
    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)
    if args.tta:  # each image also mirrored, left/right classes swapped back (FaceSegTTAModel)
        cfg = face_tta_config(cfg)
    if args.fuse:
        cfg.custom_hooks = [*cfg.get('custom_hooks', []), dict(type='FuseConvBNHook')]
    if args.out is not None:  # predictions written by the metric
        cfg.test_evaluator['output_dir'] = args.out

    # a misspelt dataset / metric type or a missing data folder: one line, and what this run
    # created in work_dir (its timestamped log folder) is removed
    with one_line_errors(args.config, cfg.work_dir, work_dir_existed):
        # the config's runner_type (FaceRunner in this project's configs), as train.py does
        runner = RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(cfg)
        runner.test()


if __name__ == '__main__':
    main()
