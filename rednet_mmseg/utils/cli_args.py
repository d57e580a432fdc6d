"""Argument types of the command-line tools: numbers checked when the command line is parsed.

A value out of range is an argparse error (``error: argument --opacity: must be a number in
[0, 1], got '5'``) before anything is loaded, never a traceback or garbage later.
"""

import argparse
import math


def int_at_least(low: int):
    """An argparse type: a whole number ``>= low``.

    >>> int_at_least(1)('3')
    3
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low:
            raise argparse.ArgumentTypeError(f'must be a whole number >= {low}, got {text!r}')
        return value

    return parse


def float_in(low: float, high: float, high_open: bool = False):
    """An argparse type: a finite number in ``[low, high]`` (``[low, high)`` if ``high_open``).

    >>> float_in(0, 1)('0.25')
    0.25
    """
    closing = ')' if high_open else ']'

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        inside = low <= value < high if high_open else low <= value <= high
        if not (math.isfinite(value) and inside):
            raise argparse.ArgumentTypeError(
                f'must be a number in [{low:g}, {high:g}{closing}, got {text!r}'
            )
        return value

    return parse


def tool_warnings() -> None:
    """Show warnings as one ``warning: <message>`` line each (for the tools' own process)."""
    import warnings

    def one_line(message, category, filename, lineno, line=None):
        return f'warning: {message}\n'

    warnings.formatwarning = one_line


def add_pipeline_arguments(parser) -> None:
    """``--prior-bank`` and ``--landmarks`` of train / test tools: set by step type.

    Applied with :func:`apply_pipeline_arguments`; no ``pipeline.<index>`` overrides needed.
    """
    parser.add_argument(
        '--prior-bank', help="prior bank .npz for every LoadFacePrior step (default: the config's)"
    )
    parser.add_argument(
        '--landmarks',
        help='landmark table (lines "<image> x1 y1 ... x5 y5") for every LoadFaceLandmarks and '
        'LoadFacePrior step, for images without landmark files',
    )


def apply_pipeline_arguments(cfg, args) -> None:
    """Set :func:`add_pipeline_arguments`' options on the config's pipelines.

    Raises:
        ValueError: an option for a step the config does not have.
    """
    from .pipeline_edit import set_step_args

    if getattr(args, 'prior_bank', None):
        if not set_step_args(cfg, ['LoadFacePrior'], bank_file=args.prior_bank):
            raise ValueError(f'--prior-bank: {cfg.filename} has no LoadFacePrior step')
    if getattr(args, 'landmarks', None):
        steps = ['LoadFaceLandmarks', 'LoadFacePrior']
        if not set_step_args(cfg, steps, landmarks_file=args.landmarks):
            raise ValueError(f'--landmarks: {cfg.filename} loads no landmarks')


def config_from_args(args):
    """The config of ``tools/train.py`` / ``tools/test.py``, every problem a one-line exit.

    ``args.config`` with ``--cfg-options`` merged, :func:`apply_pipeline_arguments` applied and
    ``work_dir`` set as mmseg's tools set it: ``--work-dir``, else the config's, else
    ``./work_dirs/<config name>``.
    """
    import os.path as osp

    from .run_errors import load_config

    cfg = load_config(args.config, args.cfg_options, args.launcher)
    try:  # by step type, never by position in the pipeline
        apply_pipeline_arguments(cfg, args)
    except ValueError as err:
        raise SystemExit(f'error: {err}')
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    return cfg
