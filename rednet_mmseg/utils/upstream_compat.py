"""Workarounds for the installed OpenMMLab stack, in one place.

Every patch here names the upstream version and the symptom it fixes, and is a no-op where it
is not needed (a CUDA machine with a compiled mmcv and an older torch). :func:`apply` is called
once by ``rednet_mmseg/__init__.py`` before anything imports ``mmseg.models``.

Patches
-------
1. ``mmcv._ext`` stand-in (mmcv-lite 2.1.0 + mmsegmentation 1.2.2): ``import mmseg.models`` fails
   with ``No module named 'mmcv._ext'`` because four mmseg modules import compiled ops
   unconditionally (focal loss, point_sample, mask_classification, san_head). The stand-in
   module imports cleanly and raises only when one of its ops is *called*. Skipped when a real
   compiled mmcv is installed.
2. Checkpoint loading on torch >= 2.6 (mmengine 0.10.7): ``torch.load`` defaults to
   ``weights_only=True`` and every mmengine checkpoint fails with ``Unsupported global: GLOBAL
   mmengine.logging.history_buffer.HistoryBuffer``. mmengine's local loader is replaced by
   our trust policy (``rednet_mmseg.utils.checkpoint.safe_load``), and ``Runner.resume``
   unpickles fully only a checkpoint inside the run's own ``work_dir`` (or one trusted
   explicitly); a truncated last checkpoint falls back to the previous one, with a warning.
3. Distributed training without CUDA (mmengine 0.10.7): ``_init_dist_pytorch`` calls
   ``torch.cuda.set_device`` (fails without a GPU), ``Runner.wrap_model`` passes
   ``device_ids=[LOCAL_RANK]`` to DDP (rejected for CPU modules) and SyncBN cannot run on CPU.
   Without CUDA: no ``set_device``, backend ``gloo``, ``device_ids=None``, SyncBN -> BN.
4. ``CrossEntropyLoss(class_weight=...)`` (mmsegmentation 1.2.2): the loss's normaliser is
   ``torch.stack([class_weight[cls] for cls in label])``, which indexes the weights with whole
   label rows and fails with ``IndexError: index 255 is out of bounds`` on any ignored pixel
   (every random crop past the image border). Replaced by the same normaliser computed
   per pixel: the sum of the pixels' class weights (ignored pixels: 0 with
   ``avg_non_ignore``, else 1, as the unweighted loss counts them). Applied only when a probe
   of upstream's function on one ignored pixel raises that ``IndexError``.

Each patch runs only where its symptom is present (version checks or a probe);
:func:`active_patches` lists those applied, also logged at debug level.
"""

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
def _patch_checkpoint_loading():
    if tuple(int(v) for v in torch.__version__.split('.')[:2]) < (2, 6):
        return False  # torch < 2.6 unpickles fully by default; mmengine works unchanged
    from mmengine.runner import Runner
    from mmengine.runner.checkpoint import CheckpointLoader

    CheckpointLoader.register_scheme(prefixes='', force=True)(safe_load)
    if getattr(Runner.resume, '_rednet_patched', False):
        return True
    original_resume = Runner.resume

    def resume(self, filename, *args, **kwargs):
        check_resume_allowed(filename, self.work_dir)
        with trusted_checkpoint_loads():
            try:
                return original_resume(self, filename, *args, **kwargs)
            except CorruptCheckpointError as err:
                # a run killed while writing its last checkpoint: the previous one is whole
                earlier = earlier_checkpoints(filename)
                if not earlier:
                    raise CorruptCheckpointError(
                        f'{err}; no earlier checkpoint beside it'
                    ) from None
                self.logger.warning(
                    f'{filename} cannot be read (truncated or corrupt); resuming from the '
                    f'previous checkpoint {earlier[0]} instead'
                )
        return resume(self, earlier[0], *args, **kwargs)

    resume._rednet_patched = True
    Runner.resume = resume
    return True


# --------------------------------------------------------------------------------------------
# 3. distributed training without CUDA
# --------------------------------------------------------------------------------------------
def _patch_cpu_distributed():
    if torch.cuda.is_available():
        return False
    import mmengine.dist.utils as dist_utils
    from mmengine.model import MMDistributedDataParallel, revert_sync_batchnorm
    from mmengine.runner import Runner

    if getattr(dist_utils._init_dist_pytorch, '_rednet_patched', False):
        return True

    def _init_dist_pytorch(backend='gloo', init_backend='torch', **kwargs):
        if backend != 'gloo':
            warnings.warn(f'No CUDA device: using the gloo backend instead of {backend}.')
        torch.distributed.init_process_group(backend='gloo', **kwargs)

    _init_dist_pytorch._rednet_patched = True
    dist_utils._init_dist_pytorch = _init_dist_pytorch

    original_ddp_init = MMDistributedDataParallel.__init__

    def ddp_init(self, module, detect_anomalous_params=False, **kwargs):
        kwargs['device_ids'] = None  # CPU modules take no device ids
        original_ddp_init(self, module, detect_anomalous_params, **kwargs)

    MMDistributedDataParallel.__init__ = ddp_init

    original_wrap = Runner.wrap_model

    def wrap_model(self, model_wrapper_cfg, model):
        if self.distributed:
            model = revert_sync_batchnorm(model)  # SyncBN has no CPU implementation
        return original_wrap(self, model_wrapper_cfg, model)

    Runner.wrap_model = wrap_model
    return True


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


def _patch_weighted_cross_entropy():
    import torch.nn.functional as F
    from mmseg.models.losses import cross_entropy_loss
    from mmseg.models.losses.utils import weight_reduce_loss

    if getattr(cross_entropy_loss.cross_entropy, '_rednet_patched', False):
        return False
    if not _weighted_cross_entropy_is_broken():
        return False  # a fixed mmseg: nothing to do

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

    cross_entropy._rednet_patched = True
    cross_entropy._rednet_upstream = cross_entropy_loss.cross_entropy  # for the tests
    cross_entropy_loss.cross_entropy = cross_entropy
    return True


#: Names of the patches applied in this process (see :func:`active_patches`).
_ACTIVE = []


def active_patches():
    """The workarounds active in this process, e.g. ``['mmcv._ext stand-in', ...]``."""
    return list(_ACTIVE)


def apply():
    """Apply every patch whose symptom is present, once; log (debug) which are active."""
    global _APPLIED
    if _APPLIED:
        return
    import logging

    steps = [
        ('mmcv._ext stand-in (mmcv-lite)', _install_mmcv_ext_standin),
        ('checkpoint trust policy (torch >= 2.6)', _patch_checkpoint_loading),
        ('distributed training without CUDA', _patch_cpu_distributed),
        (
            'class-weighted cross-entropy with ignored pixels (mmseg 1.2.2)',
            _patch_weighted_cross_entropy,
        ),
    ]
    for name, step in steps:
        if step():
            _ACTIVE.append(name)
    logging.getLogger('rednet_mmseg').debug(
        'rednet_mmseg upstream workarounds active: %s', ', '.join(_ACTIVE) or 'none'
    )
    _APPLIED = True
