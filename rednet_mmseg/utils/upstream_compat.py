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
   mmengine.logging.history_buffer.HistoryBuffer``. Policy: resuming a run (``Runner.resume``)
   from a checkpoint inside its own ``work_dir`` unpickles fully, because the file is the
   run's own (resuming from a file elsewhere must be trusted explicitly); every other local load (``load_from``,
   ``--checkpoint``, ``init_cfg`` pretrained) goes through :class:`_WeightsUnpickler`, which
   rebuilds tensors with torch's own weights-only allow-list, turns known metadata objects
   (mmengine log buffers, numpy arrays) into inert placeholders and refuses any other global,
   so no code from the file is executed.
3. Distributed training without CUDA (mmengine 0.10.7): ``_init_dist_pytorch`` calls
   ``torch.cuda.set_device`` (fails without a GPU), ``Runner.wrap_model`` passes
   ``device_ids=[LOCAL_RANK]`` to DDP (rejected for CPU modules) and SyncBN cannot run on CPU.
   Without CUDA: no ``set_device``, backend ``gloo``, ``device_ids=None``, SyncBN -> BN.
"""
import contextlib
import contextvars
import importlib.machinery
import importlib.util
import os
import pickle
import sys
import types
import warnings

import torch

_APPLIED = False


# --------------------------------------------------------------------------------------------
# 1. mmcv._ext stand-in
# --------------------------------------------------------------------------------------------
def _missing_op(name):

    def op(*args, **kwargs):
        raise NotImplementedError(
            f'mmcv op `{name}` needs the compiled mmcv (mmcv._ext), but only mmcv-lite is '
            'installed. RED-Net does not use it; for models that do, install full mmcv 2.1 '
            '(`pip install -U openmim && mim install mmcv==2.1.0`).')

    op.__name__ = name
    return op


def _install_mmcv_ext_standin():
    if 'mmcv._ext' in sys.modules or importlib.util.find_spec('mmcv') is None:
        return
    if importlib.util.find_spec('mmcv._ext') is not None:
        return  # real compiled ops: nothing to do
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


# --------------------------------------------------------------------------------------------
# 2. checkpoint loading
# --------------------------------------------------------------------------------------------
_TRUSTED_LOAD = contextvars.ContextVar('rednet_trusted_checkpoint_load', default=False)
TRUST_ENV = 'REDNET_TRUSTED_CHECKPOINTS'
#: globals that appear in mmengine checkpoint *metadata* (log buffers, numpy scalars, which
#: pickle through ``getattr``); they are replaced by inert placeholders, never called.
_METADATA_PREFIXES = ('mmengine.', 'numpy.', 'builtins.getattr', '__builtin__.getattr',
                      'collections.defaultdict')


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint asks to run code that is not on the weights allow-list."""


class _Inert:
    """Stands in for a metadata object of a checkpoint; accepts and ignores everything."""

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        pass

    def __call__(self, *args, **kwargs):
        return _Inert()


def _allowed_globals():
    from torch import _weights_only_unpickler as wou
    allowed = dict(wou._get_allowed_globals())
    for obj in torch.serialization.get_safe_globals():
        if isinstance(obj, tuple):
            obj, name = obj
        else:
            name = f'{obj.__module__}.{obj.__qualname__}'
        allowed[name] = obj
    return allowed


class _WeightsUnpickler(pickle.Unpickler):
    filename = '<checkpoint>'
    allowed = {}

    def find_class(self, module, name):
        full = f'{module}.{name}'
        if full in self.allowed:
            return self.allowed[full]
        if full.startswith(_METADATA_PREFIXES):
            return _Inert
        raise UnsafeCheckpointError(
            f'{self.filename}: refusing to load, the checkpoint asks to call `{full}`, which is '
            'not needed to restore weights and could run arbitrary code. If you trust this '
            f'file, set {TRUST_ENV}={self.filename} (paths separated by "{os.pathsep}") to '
            'unpickle it fully.')


def _weights_pickle_module(filename):
    cls = type('_FileWeightsUnpickler', (_WeightsUnpickler, ),
               dict(filename=filename, allowed=_allowed_globals()))  # once per file
    return types.SimpleNamespace(Unpickler=cls, load=lambda f, **kw: cls(f, **kw).load(),
                                 __name__='rednet_weights_pickle')


def _is_trusted(filename):
    listed = os.environ.get(TRUST_ENV, '')
    trusted = {os.path.abspath(p) for p in listed.split(os.pathsep) if p}
    return _TRUSTED_LOAD.get() or os.path.abspath(filename) in trusted


def safe_load(filename, map_location=None):
    """Load a local checkpoint; see the module docstring for the trust policy."""
    filename = os.path.expanduser(filename)
    if not os.path.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    try:
        if _is_trusted(filename):
            return torch.load(filename, map_location=map_location, weights_only=False)
        return torch.load(filename, map_location=map_location, weights_only=False,
                          pickle_module=_weights_pickle_module(filename))
    except UnsafeCheckpointError:
        raise
    except (RuntimeError, EOFError, pickle.UnpicklingError, OSError) as err:
        raise RuntimeError(f'{filename}: not a readable checkpoint (truncated or corrupt?): '
                           f'{err}') from err


@contextlib.contextmanager
def trusted_checkpoint_loads():
    """Within this context local checkpoints are unpickled fully (used for resume)."""
    token = _TRUSTED_LOAD.set(True)
    try:
        yield
    finally:
        _TRUSTED_LOAD.reset(token)


def _patch_checkpoint_loading():
    if tuple(int(v) for v in torch.__version__.split('.')[:2]) < (2, 6):
        return  # torch < 2.6 unpickles fully by default; mmengine works unchanged
    from mmengine.runner import Runner
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(prefixes='', force=True)(safe_load)
    if getattr(Runner.resume, '_rednet_patched', False):
        return
    original_resume = Runner.resume

    def resume(self, filename, *args, **kwargs):
        path = os.path.abspath(os.path.expanduser(filename))
        own = path.startswith(os.path.abspath(self.work_dir) + os.sep)
        if not own and os.path.isfile(path) and not _is_trusted(path):
            raise UnsafeCheckpointError(
                f'{filename}: resuming unpickles the whole checkpoint (optimizer, message hub), '
                f'and this file is not in the run\'s work_dir {self.work_dir}. If you trust '
                f'it, add it to {TRUST_ENV} (paths separated by "{os.pathsep}"); to start '
                'from its weights only, set load_from without --resume.')
        with trusted_checkpoint_loads():
            return original_resume(self, filename, *args, **kwargs)

    resume._rednet_patched = True
    Runner.resume = resume


# --------------------------------------------------------------------------------------------
# 3. distributed training without CUDA
# --------------------------------------------------------------------------------------------
def _patch_cpu_distributed():
    if torch.cuda.is_available():
        return
    import mmengine.dist.utils as dist_utils
    from mmengine.model import MMDistributedDataParallel, revert_sync_batchnorm
    from mmengine.runner import Runner
    if getattr(dist_utils._init_dist_pytorch, '_rednet_patched', False):
        return

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


def apply():
    """Apply every patch once; safe to call repeatedly."""
    global _APPLIED
    if _APPLIED:
        return
    _install_mmcv_ext_standin()
    _patch_checkpoint_loading()
    _patch_cpu_distributed()
    _APPLIED = True
