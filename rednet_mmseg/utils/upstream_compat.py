"""Workarounds for the installed OpenMMLab stack, in one place; only #1 acts on import.

Every workaround names the upstream version and the symptom it fixes. Only what makes ``import
mmseg.models`` possible at all is applied for the whole process (:func:`apply`, called once by
``rednet_mmseg/__init__.py``); everything else acts through the registries, only where this
project's configs name it, so a stock config that imports the plugin runs exactly as without
it (tested: upstream objects are the same before and after the import).

1. ``mmcv._ext`` stand-in (mmcv-lite 2.1.0 + mmsegmentation 1.2.2), **global**: ``import
   mmseg.models`` fails with ``No module named 'mmcv._ext'`` because four mmseg modules import
   compiled ops unconditionally (focal loss, point_sample, mask_classification, san_head). The
   stand-in module imports cleanly and raises only when one of its ops is *called*. Skipped
   when a real compiled mmcv is installed.
2. Checkpoint loading on torch >= 2.6 (mmengine 0.10.7): ``torch.load`` defaults to
   ``weights_only=True`` and every mmengine checkpoint fails with ``Unsupported global: GLOBAL
   mmengine.logging.history_buffer.HistoryBuffer`` (allow-listing it with
   ``torch.serialization.add_safe_globals`` is not enough: numpy's pickles need
   ``builtins.getattr``). :func:`checkpoint_policy` points mmengine's local loader at our trust
   policy (``rednet_mmseg.utils.checkpoint.safe_load``) *while* a ``FaceRunner`` (the
   ``runner_type`` of this project's configs), ``FaceParsingInferencer`` or one of our tools
   loads; the stock loader is back afterwards.
3. Distributed training without CUDA (mmengine 0.10.7): ``_init_dist_pytorch`` calls
   ``torch.cuda.set_device`` (fails without a GPU), ``Runner.wrap_model`` passes
   ``device_ids=[LOCAL_RANK]`` to DDP (rejected for CPU modules) and SyncBN cannot run on CPU.
   ``FaceRunner`` handles it (gloo, ``device_ids=None``, SyncBN -> BN) without touching
   mmengine's functions.
4. ``CrossEntropyLoss(class_weight=...)`` (mmsegmentation 1.2.2): the loss's normaliser is
   ``torch.stack([class_weight[cls] for cls in label])``, which indexes the weights with whole
   label rows and fails with ``IndexError: index 255 is out of bounds`` on any ignored pixel
   (every random crop past the image border). :func:`cross_entropy` computes the same
   normaliser per pixel (the sum of the pixels' class weights; ignored pixels: 0 with
   ``avg_non_ignore``, else 1, as the unweighted loss counts them); the loss type
   ``FaceCrossEntropyLoss`` (``rednet_mmseg/models/losses``) uses it, named by this project's
   class-weighted configs. mmseg's own ``cross_entropy`` is left as it is.

:func:`active_patches` lists the global workarounds applied (#1), also logged at debug level.
"""

import contextlib
import importlib.machinery
import importlib.util
import sys
import types
import warnings

import torch

from .checkpoint import (
    CorruptCheckpointError,
    check_resume_allowed,
    earlier_checkpoints,
    safe_load,
    trusted_checkpoint_loads,
)

_APPLIED = False


# --------------------------------------------------------------------------------------------
# 1. mmcv._ext stand-in
# --------------------------------------------------------------------------------------------
def _missing_op(name):

    def op(*args, **kwargs):
        raise NotImplementedError(
            f'mmcv op `{name}` needs the compiled mmcv (mmcv._ext), but only mmcv-lite is '
            'installed. RED-Net does not use it; for models that do, install full mmcv 2.1 '
            '(`pip install -U openmim && mim install mmcv==2.1.0`).'
        )

    op.__name__ = name
    return op


def _install_mmcv_ext_standin():
    if 'mmcv._ext' in sys.modules or importlib.util.find_spec('mmcv') is None:
        return False
    if importlib.util.find_spec('mmcv._ext') is not None:
        return False  # real compiled ops: nothing to do
    module = types.ModuleType('mmcv._ext', 'Stand-in for compiled mmcv ops (rednet_mmseg).')
    # mmengine's Runner inspects __spec__ of imported modules; a None spec breaks it.
    module.__spec__ = importlib.machinery.ModuleSpec('mmcv._ext', loader=None)

    def __getattr__(name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _missing_op(name)

    module.__getattr__ = __getattr__
    module.REDNET_STANDIN = True
    sys.modules['mmcv._ext'] = module
    return True


# --------------------------------------------------------------------------------------------
# 2. checkpoint loading
# --------------------------------------------------------------------------------------------
@contextlib.contextmanager
def checkpoint_policy():
    """Point mmengine's local checkpoint loader at :func:`safe_load` inside this block only.

    On torch < 2.6 (full unpickling by default, mmengine works unchanged) it does nothing.
    """
    if tuple(int(v) for v in torch.__version__.split('.')[:2]) < (2, 6):
        yield
        return
    from mmengine.runner.checkpoint import CheckpointLoader

    before = CheckpointLoader._schemes.get('')
    if before is safe_load:  # nested
        yield
        return
    CheckpointLoader.register_scheme(prefixes='', force=True)(safe_load)
    try:
        yield
    finally:
        if before is None:
            CheckpointLoader._schemes.pop('', None)
        else:
            CheckpointLoader.register_scheme(prefixes='', force=True)(before)


def resume_with_policy(runner, resume, filename, *args, **kwargs):
    """``resume(filename, ...)`` under the trust policy, falling back past a corrupt file.

    Resuming unpickles the whole checkpoint: only the run's own file (inside its ``work_dir``) or
    a trusted one (``check_resume_allowed``). A run killed while writing its last checkpoint
    leaves a truncated file: the previous one is used instead, with a warning.
    """
    check_resume_allowed(filename, runner.work_dir)
    with checkpoint_policy(), trusted_checkpoint_loads():
        try:
            return resume(filename, *args, **kwargs)
        except CorruptCheckpointError as err:
            earlier = earlier_checkpoints(filename)
            if not earlier:
                raise CorruptCheckpointError(f'{err}; no earlier checkpoint beside it') from None
            runner.logger.warning(
                f'{filename} cannot be read (truncated or corrupt); resuming from the '
                f'previous checkpoint {earlier[0]} instead'
            )
    return resume_with_policy(runner, resume, earlier[0], *args, **kwargs)


# --------------------------------------------------------------------------------------------
# 3. distributed training without CUDA
# --------------------------------------------------------------------------------------------
def init_cpu_distributed(backend: str = 'gloo') -> None:
    """What ``mmengine.dist.init_dist('pytorch')`` does, without ``torch.cuda.set_device``.

    Ranks and the rendezvous come from torchrun's environment; the backend is gloo (the only
    one on CPU).
    """
    if backend != 'gloo':
        warnings.warn(f'No CUDA device: using the gloo backend instead of {backend}.')
    torch.distributed.init_process_group(backend='gloo')
    # tear gloo down before the interpreter does: a rank that exits with the group alive can
    # abort in C++ ("terminate called without an active exception", seen once in CI)
    import atexit

    atexit.register(
        lambda: torch.distributed.is_initialized() and torch.distributed.destroy_process_group()
    )


# --------------------------------------------------------------------------------------------
# 4. mmseg cross_entropy with class_weight
def _weighted_cross_entropy_is_broken() -> bool:
    """Probe the symptom: upstream's loss on one ignored pixel with class weights."""
    from mmseg.models.losses import cross_entropy_loss

    pred = torch.zeros(1, 2, 1, 2)
    label = torch.tensor([[[0, 255]]])
    try:
        cross_entropy_loss.cross_entropy(
            pred, label, class_weight=torch.ones(2), ignore_index=255, avg_non_ignore=True
        )
    except IndexError:
        return True
    return False


def cross_entropy(
    pred,
    label,
    weight=None,
    class_weight=None,
    reduction='mean',
    avg_factor=None,
    ignore_index=-100,
    avg_non_ignore=False,
):
    """The ``cross_entropy`` of mmseg 1.2.2 with its class-weight normaliser computed per pixel.

    Equal to upstream's where upstream works (no ignored pixel); also works with ignored pixels.
    """
    import torch.nn.functional as F
    from mmseg.models.losses.utils import weight_reduce_loss

    loss = F.cross_entropy(
        pred, label, weight=class_weight, reduction='none', ignore_index=ignore_index
    )
    if avg_factor is None and reduction == 'mean':
        ignored = label == ignore_index
        if class_weight is None:
            per_pixel = torch.ones_like(label, dtype=loss.dtype)
        else:
            per_pixel = class_weight.to(loss.dtype)[label.masked_fill(ignored, 0)]
            per_pixel = per_pixel.masked_fill(ignored, 1.0)
        if avg_non_ignore:
            per_pixel = per_pixel.masked_fill(ignored, 0.0)
        avg_factor = per_pixel.sum()
    if weight is not None:
        weight = weight.float()
    return weight_reduce_loss(loss, weight=weight, reduction=reduction, avg_factor=avg_factor)


#: Names of the patches applied in this process (see :func:`active_patches`).
_ACTIVE = []


def active_patches():
    """The workarounds active in this process, e.g. ``['mmcv._ext stand-in', ...]``."""
    return list(_ACTIVE)


def apply():
    """Apply the global workaround (#1) where its symptom is present, once; log (debug) it."""
    global _APPLIED
    if _APPLIED:
        return
    import logging

    steps = [('mmcv._ext stand-in (mmcv-lite)', _install_mmcv_ext_standin)]
    for name, step in steps:
        if step():
            _ACTIVE.append(name)
    logging.getLogger('rednet_mmseg').debug(
        'rednet_mmseg upstream workarounds active: %s', ', '.join(_ACTIVE) or 'none'
    )
    _APPLIED = True
