"""Our checkpoint trust policy: which local checkpoints may be unpickled fully.

Loading weights from elsewhere (``load_from``, ``tools/test.py``'s checkpoint, ``init_cfg``
pretrained) never executes code from the file: :func:`safe_load` rebuilds tensors with torch's
weights-only allow-list, turns known metadata objects (mmengine log buffers, numpy arrays)
into inert placeholders and refuses any other global (:class:`UnsafeCheckpointError`). A run's
own resume file, or a file listed in ``REDNET_TRUSTED_CHECKPOINTS`` (paths separated by
``os.pathsep``), is unpickled fully (:func:`trusted_checkpoint_loads`). mmengine is pointed at
this policy by ``upstream_compat.checkpoint_policy`` (torch >= 2.6) while ``FaceRunner``,
``FaceParsingInferencer`` or our tools load; stock mmengine runs keep mmengine's loader.
"""

import contextlib
import contextvars
import os
import pickle
import types

import torch

_TRUSTED_LOAD = contextvars.ContextVar('rednet_trusted_checkpoint_load', default=False)
TRUST_ENV = 'REDNET_TRUSTED_CHECKPOINTS'
#: globals that appear in mmengine checkpoint *metadata* (log buffers, numpy scalars, which
#: pickle through ``getattr``); they are replaced by inert placeholders, never called.
_METADATA_PREFIXES = (
    'mmengine.',
    'numpy.',
    'builtins.getattr',
    '__builtin__.getattr',
    'collections.defaultdict',
)


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint asks to run code that is not on the weights allow-list."""


class CorruptCheckpointError(RuntimeError):
    """A checkpoint file that exists but cannot be read (truncated or corrupt)."""


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
            'unpickle it fully.'
        )


def _weights_pickle_module(filename):
    cls = type(
        '_FileWeightsUnpickler',
        (_WeightsUnpickler,),
        dict(filename=filename, allowed=_allowed_globals()),
    )  # once per file
    return types.SimpleNamespace(
        Unpickler=cls, load=lambda f, **kw: cls(f, **kw).load(), __name__='rednet_weights_pickle'
    )


def is_trusted(filename: str) -> bool:
    """Inside :func:`trusted_checkpoint_loads`, or listed in ``REDNET_TRUSTED_CHECKPOINTS``."""
    listed = os.environ.get(TRUST_ENV, '')
    trusted = {os.path.abspath(p) for p in listed.split(os.pathsep) if p}
    return _TRUSTED_LOAD.get() or os.path.abspath(filename) in trusted


def safe_load(filename, map_location=None):
    """Load a local checkpoint; see the module docstring for the trust policy."""
    filename = os.path.expanduser(filename)
    if not os.path.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    try:
        if is_trusted(filename):
            return torch.load(filename, map_location=map_location, weights_only=False)
        return torch.load(
            filename,
            map_location=map_location,
            weights_only=False,
            pickle_module=_weights_pickle_module(filename),
        )
    except UnsafeCheckpointError:
        raise
    except (RuntimeError, EOFError, pickle.UnpicklingError, OSError) as err:
        raise CorruptCheckpointError(
            f'{filename}: not a readable checkpoint (truncated or corrupt?): {err}'
        ) from err


@contextlib.contextmanager
def trusted_checkpoint_loads():
    """Within this context local checkpoints are unpickled fully (used for resume)."""
    token = _TRUSTED_LOAD.set(True)
    try:
        yield
    finally:
        _TRUSTED_LOAD.reset(token)


def check_resume_allowed(filename: str, work_dir: str) -> None:
    """Resuming unpickles the whole checkpoint: only the run's own or a trusted file.

    The run's own file lies inside its ``work_dir``; anything else raises
    :class:`UnsafeCheckpointError`.
    """
    path = os.path.abspath(os.path.expanduser(filename))
    own = path.startswith(os.path.abspath(work_dir) + os.sep)
    if not own and os.path.isfile(path) and not is_trusted(path):
        raise UnsafeCheckpointError(
            f'{filename}: resuming unpickles the whole checkpoint (optimizer, message hub), '
            f"and this file is not in the run's work_dir {work_dir}. If you trust "
            f'it, add it to {TRUST_ENV} (paths separated by "{os.pathsep}"); to start '
            'from its weights only, set load_from without --resume.'
        )


def earlier_checkpoints(filename: str):
    """Checkpoints saved before ``filename`` in its folder, newest first.

    ``iter_N.pth`` / ``epoch_N.pth`` with a smaller N (any such file when ``filename`` has no
    number).
    """
    import re

    folder, base = os.path.split(os.path.abspath(filename))
    pattern = re.compile(r'^(iter|epoch)_(\d+)\.pth$')
    own = pattern.match(base)
    found = []
    for name in os.listdir(folder) if os.path.isdir(folder) else []:
        m = pattern.match(name)
        if m and name != base and (own is None or (m[1] == own[1] and int(m[2]) < int(own[2]))):
            found.append((int(m[2]), os.path.join(folder, name)))
    return [p for _, p in sorted(found, reverse=True)]
