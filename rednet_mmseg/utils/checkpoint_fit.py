"""Does a checkpoint fit its model? Testing and inference refuse weights that do not.

mmengine loads weights non-strictly: a checkpoint whose keys match nothing leaves the network
at its random initialisation, and the only sign is a log line. With the adaptive prior such a
random network still scores well (the prior carries the result), so a user could publish
numbers from it. :func:`check_checkpoint_fits` compares the checkpoint's ``state_dict`` with
the model's before anything is computed:

- ``tools/test.py``, ``tools/parse_faces.py`` and ``FaceParsingInferencer`` raise
  :class:`CheckpointMismatchError` unless partial loading is asked for explicitly
  (``--allow-partial`` / ``allow_partial=True``, which still warns);
- ``tools/train.py`` keeps mmengine's behaviour for ``load_from`` (fine-tuning with a new head is
  normal) but warns with the same summary.
"""

import re
from typing import Dict, List, Mapping, Optional, Tuple

import torch

#: BatchNorm's step counters: absent from older checkpoints and unused at test time.
_IGNORED_MISSING = re.compile(r'(^|\.)num_batches_tracked$')
_SHOWN = 3


class CheckpointMismatchError(RuntimeError):
    """A checkpoint leaves model weights unloaded or has weights of the wrong shape."""


def checkpoint_state_dict(checkpoint: Mapping) -> Dict[str, torch.Tensor]:
    """The weights of a loaded checkpoint (``state_dict`` if present).

    ``module.`` is stripped as mmengine does when it loads them.
    """
    sd = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, Mapping) else {}
    return {re.sub(r'^module\.', '', k): v for k, v in sd.items() if torch.is_tensor(v)}


def compare_state_dicts(
    model: torch.nn.Module, state_dict: Mapping[str, torch.Tensor]
) -> Dict[str, List]:
    """``dict(missing=[key], unexpected=[key], mismatched=[(key, ckpt shape, model shape)])``."""
    own = model.state_dict()
    # buffers the model sets from its config (not saved): older checkpoints may hold them
    volatile = {
        f'{name}.{b}' if name else b
        for name, m in model.named_modules()
        for b in m._non_persistent_buffers_set
    }
    missing = [k for k in own if k not in state_dict and not _IGNORED_MISSING.search(k)]
    unexpected = [k for k in state_dict if k not in own and k not in volatile]
    mismatched = [
        (k, tuple(v.shape), tuple(own[k].shape))
        for k, v in state_dict.items()
        if k in own and tuple(v.shape) != tuple(own[k].shape)
    ]
    return dict(missing=missing, unexpected=unexpected, mismatched=mismatched)


def describe_mismatch(filename: str, report: Dict[str, List], total: int) -> Optional[str]:
    """One paragraph on what does not fit, or ``None`` when everything does."""
    missing, unexpected, mismatched = (report[k] for k in ('missing', 'unexpected', 'mismatched'))
    if not (missing or unexpected or mismatched):
        return None
    examples: List[str] = []
    if missing:
        examples.append('missing ' + ', '.join(missing[:_SHOWN]))
    if mismatched:
        examples.append(
            'mismatched '
            + ', '.join(f'{k} (checkpoint {c}, model {m})' for k, c, m in mismatched[:_SHOWN])
        )
    if unexpected:
        examples.append('unexpected ' + ', '.join(unexpected[:_SHOWN]))
    return (
        f'{filename}: the checkpoint does not fit the model: {len(missing)} of {total} model '
        f'weights missing, {len(mismatched)} of another shape, {len(unexpected)} unexpected '
        f'(e.g. {"; ".join(examples)})'
    )


def check_checkpoint_fits(
    model: torch.nn.Module,
    checkpoint: Mapping,
    filename: str,
    allow_partial: bool = False,
    logger=None,
) -> Tuple[Dict[str, List], Optional[str]]:
    """Raise :class:`CheckpointMismatchError` if ``checkpoint`` does not fit ``model``.

    It does not fit when it leaves any weight of ``model`` unloaded or mismatched, or holds weights
    the model does not have.

    Args:
        model (nn.Module): the model the weights are for.
        checkpoint (dict): as loaded (with or without ``state_dict``).
        filename (str): named in the message.
        allow_partial (bool): warn through ``logger`` (mmengine's current logger by default)
            instead of raising. Default: False.
        logger: where the warning goes (mmengine's current logger by default).

    Returns:
        ``(report, message or None)``, see :func:`compare_state_dicts`.
    """
    report = compare_state_dicts(model, checkpoint_state_dict(checkpoint))
    message = describe_mismatch(filename, report, len(model.state_dict()))
    if message is None:
        return report, None
    if not allow_partial:
        raise CheckpointMismatchError(
            message + ". Results from these weights would not be the checkpoint's; pass "
            '--allow-partial (allow_partial=True) to load it partially anyway.'
        )
    if logger is None:
        from mmengine.logging import MMLogger

        logger = MMLogger.get_current_instance()
    logger.warning('PARTIAL WEIGHTS: ' + message + '; the rest keeps its initialisation.')
    return report, message


def build_model_of(cfg):
    """Build ``cfg.model`` under the config's default scope.

    A type missing from a registry raises ``ValueError`` naming the config file (instead of
    mmengine's ``KeyError``).
    """
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    init_default_scope(cfg.get('default_scope', 'mmseg'))
    try:
        return MODELS.build(cfg.model)
    except KeyError as err:
        raise ValueError(f'{cfg.filename}: {registry_message(err)}') from None


def registry_message(err: KeyError) -> str:
    """Mmengine's registry ``KeyError`` text, first sentence only, without the quotes."""
    text = str(err.args[0]) if err.args else str(err)
    return text.split('. Please check')[0].strip('\'"')


def check_checkpoint_for_config(cfg, filename: str, allow_partial: bool = False, model=None):
    """Read ``filename`` and check that it fits the model of ``cfg``.

    Loaded weights-only (see ``checkpoint.safe_load``); the model is built here unless ``model`` is
    given. Tools call it before they start work.

    Raises ``FileNotFoundError`` / ``RuntimeError`` (unreadable file), ``ValueError`` (a type
    missing from a registry) or :class:`CheckpointMismatchError`, each naming the file.
    """
    from .checkpoint import safe_load

    checkpoint = safe_load(filename, map_location='cpu')
    if model is None:
        model = build_model_of(cfg)
    return check_checkpoint_fits(model, checkpoint, filename, allow_partial)


def report_load_from(runner) -> Optional[str]:
    """Warn loudly, once, about the weights that ``load_from`` leaves unloaded.

    Fine-tuning keeps mmengine's non-strict ``load_from`` (a new head is normal). Call before
    ``runner.train()``; nothing happens without ``load_from`` or when resuming.
    """
    from mmengine.model import is_model_wrapper

    from .checkpoint import safe_load

    filename = runner._load_from
    if not filename or runner._resume:
        return None
    try:
        checkpoint = safe_load(filename, map_location='cpu')
    except (OSError, RuntimeError):
        return None  # mmengine's own load reports it
    model = runner.model.module if is_model_wrapper(runner.model) else runner.model
    return check_checkpoint_fits(model, checkpoint, filename, True, runner.logger)[1]
