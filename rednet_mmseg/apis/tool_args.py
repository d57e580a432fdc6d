"""The parsing tools' shared options: crop context, mirroring and the face detector's cost.

``tools/parse_faces.py``, ``tools/parse_video.py``, ``tools/misc/detect_landmarks.py`` and the
parse benchmark define these options here once; the library modules hold no argparse code.
"""

import argparse
from typing import Optional

from .landmark_detector import UPSAMPLES, FaceLandmarkDetector, NoFaceError
from .model_zoo import DEFAULT_MODEL, SHIPPED_MODELS, resolve_model
from .multi_face import CONTEXT


def add_model_argument(parser) -> None:
    """The tools' ``--model``: which shipped model parses when no config is given."""
    parser.add_argument(
        '--model',
        choices=sorted(SHIPPED_MODELS),
        help=f'the shipped model to use when no config and checkpoint are given (default: '
        f'{DEFAULT_MODEL}; rednet_mmseg/model_zoo/README.md compares them)',
    )


def model_from_args(parser, args):
    """``(config, checkpoint, prior_bank)`` from the tools' arguments.

    ``--model`` or neither config nor checkpoint: the shipped model's files (an explicit
    ``--prior-bank`` still wins); a config and a checkpoint: as given.
    """
    if (args.config is None) != (args.checkpoint is None):
        parser.error('give both a config and a checkpoint, or neither (a shipped model)')
    if args.model is not None and args.config is not None:
        parser.error('--model names a shipped model: give it or a config and a checkpoint')
    if args.config is not None:
        return args.config, args.checkpoint, args.prior_bank
    return resolve_model(args.model, None, args.prior_bank)


def context_arg(text: str) -> float:
    """``--context`` of the tools: a positive number (argparse reports anything else)."""
    import argparse

    try:
        value = float(text)
    except ValueError:
        value = float('nan')
    if not value > 0:
        raise argparse.ArgumentTypeError(f'must be a positive number, got {text!r}')
    return value


def add_context_argument(parser) -> None:
    """The tools' ``--context`` option (:data:`CONTEXT`, docs/en/inference.md)."""
    parser.add_argument(
        '--context',
        type=context_arg,
        default=CONTEXT,
        help="face crop half-size in units of the key points' extent (default %(default)s); "
        'smaller is faster and may cut hair',
    )


def add_flip_argument(parser, default: bool) -> None:
    """The tools' ``--flip`` / ``--no-flip``: each face averaged with its mirror image.

    More accurate, about twice the model time (docs/en/inference.md gives both).
    """
    import argparse

    parser.add_argument(
        '--flip',
        action=argparse.BooleanOptionalAction,
        default=default,
        help='also parse the mirror image of each face (with its own prior; left/right classes '
        'swapped back) and average the two: more accurate, about twice the model time '
        '(default: %(default)s)',
    )


def add_fuse_argument(parser) -> None:
    """The tools' ``--fuse`` / ``--no-fuse``: BatchNorm folded into the convolutions.

    The same label maps to float rounding, about a sixth less model time (docs/en/inference.md).
    """
    import argparse

    parser.add_argument(
        '--fuse',
        action=argparse.BooleanOptionalAction,
        default=True,
        help='fold BatchNorm into the convolutions: the same outputs to float rounding, faster '
        '(default: %(default)s)',
    )


def add_backend_argument(parser) -> None:
    """The tools' ``--backend``: what runs the network (``FaceParsingInferencer(backend=...)``)."""
    parser.add_argument(
        '--backend',
        choices=('pytorch', 'onnxruntime'),
        default='pytorch',
        help='what runs the network: pytorch (default) or onnxruntime (the same label maps but '
        'at float-rounding ties, not faster than pytorch on 2 cores here; exported once per '
        'model, about 20 s, and cached in ~/.cache/rednet_mmseg; needs the onnx extra)',
    )


def _upsample(text: str):
    """``--upsample``'s value: ``'auto'`` or an int (argparse checks it against the choices)."""
    if text == 'auto':
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'choose from {", ".join(map(str, UPSAMPLES))} (got {text!r})'
        ) from None


def add_detector_arguments(parser) -> None:
    """The tools' detector options: ``--upsample`` and ``--no-cnn`` (docs/en/inference.md)."""
    parser.add_argument(
        '--upsample',
        type=_upsample,
        default='auto',
        choices=UPSAMPLES,
        help='HOG face detector upsampling: auto (default) searches the photo as it is (faces '
        'from about 80 px) and upsampled once (from about 40 px) only where that finds none; 1 '
        'always upsamples once, which also finds faces of 40-80 px beside a larger one (group '
        'photos; 2.3x the detection time on the dev photos); 0 never; 2 twice',
    )
    parser.add_argument(
        '--no-cnn',
        action='store_true',
        help='no CNN detector when HOG finds no face (faster; HOG misses turned and dark faces)',
    )


def add_workers_argument(parser, what: str = 'images') -> None:
    """The tools' ``--workers``: how many images are detected and parsed at once.

    Threads sharing torch's threads (:mod:`rednet_mmseg.apis.workers`); the same outputs.
    """
    from ..utils.cli_args import int_at_least

    parser.add_argument(
        '--workers',
        type=int_at_least(1),
        help=f"{what} handled at once, each by a thread (torch's threads shared out): the "
        'same outputs, faster on several cores (default: one per torch thread on CPU, at most '
        '8; 1 on a GPU)',
    )


def workers_from_args(args) -> int:
    """``--workers``, or its default for ``--device`` (:func:`~.workers.default_workers`)."""
    from .workers import default_workers

    return args.workers or default_workers(getattr(args, 'device', None))


def detector_from_args(args, **kwargs) -> FaceLandmarkDetector:
    """The detector that :func:`add_detector_arguments`' options ask for."""
    return FaceLandmarkDetector(upsample=args.upsample, cnn_fallback=not args.no_cnn, **kwargs)


def report_detection(found: dict, skipped, notes) -> dict:
    """Print what detection found (a tool's report) and return ``found``.

    A note on stdout per image with several faces of which one is used, one warning on stderr
    listing the images without a face.

    Raises:
        NoFaceError: no input has a face.
    """
    import sys

    for note in notes:
        print(f'note: {note}')
    if skipped:
        print(
            f'warning: no face found in {len(skipped)} image(s), skipped: ' + ' '.join(skipped),
            file=sys.stderr,
        )
    if not found:
        raise NoFaceError('no face found in any input')
    return found


def add_refine_argument(parser, default: Optional[str] = None) -> None:
    """The tools' ``--refine``: each crop's probabilities refined before the argmax.

    ``FaceParsingInferencer(refine=...)``: :mod:`~rednet_mmseg.apis.guided_refine`. The photo
    tool leaves it to the model (its config's ``parse_cfg``, else guided); the video tool does
    not refine by default (speed: docs/en/inference.md).
    """
    from .guided_refine import REFINE_MODES

    own = "the model's own: its config's parse_cfg, else guided; none for both shipped models"
    parser.add_argument(
        '--refine',
        choices=REFINE_MODES,
        default=default,
        help="guided: each face's class probabilities follow the photo's edges (the guided "
        'filter: more accurate for models trained without a soft-F1 term; with one face crop at a '
        'time, as in a video, about 14 %% fewer frames per second); none: the argmax of the '
        f"network's, as tools/test.py (default: {default or own})",
    )


def add_scales_argument(parser) -> None:
    """The tools' ``--scales``: ``FaceParsingInferencer(scales=...)``, a multi-scale test."""
    parser.add_argument(
        '--scales',
        type=float,
        nargs='+',
        default=[1.0],
        metavar='S',
        help="parse each face at these scales of the model's face size and average the class "
        'probabilities, e.g. 1 1.25: +0.4 overall F1 on the dev tuning photos at 2.6x the '
        'network time (default: 1)',
    )
