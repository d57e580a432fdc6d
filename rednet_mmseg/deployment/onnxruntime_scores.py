"""The network step of the parsing hot path run by ONNX Runtime (``backend='onnxruntime'``).

:class:`~rednet_mmseg.apis.crop_parser.CropParser` calls ``net.scores(images, priors)``; by
default ``net`` is :class:`~rednet_mmseg.deployment.onnx_export.FaceParsingExportModel` run by
PyTorch, and :class:`OnnxRuntimeScores` is the same graph exported with a dynamic batch, height
and width (:func:`~rednet_mmseg.deployment.onnx_export.export_onnx` ``dynamic=True``) and run by
onnxruntime's CPU provider: the same scores to float rounding
(``tests/test_apis/test_crop_parser.py``); on 2 CPU cores not faster than PyTorch for this
network (docs/en/inference.md, *Backends*: its ``MaxPool`` with indices and class-axis
``LogSoftmax`` cost what its convolutions save).

The export takes several seconds (about 20 s for the shipped model on 2 cores), so the file is
made once per model and kept: :func:`cached_onnx` names it by a digest of the model's weights,
its input steps and the package version, under ``$REDNET_MMSEG_CACHE`` (default
``$XDG_CACHE_HOME/rednet_mmseg`` or ``~/.cache/rednet_mmseg``), written atomically; a cached
file that onnxruntime cannot read is exported again.
"""

import hashlib
import os
import os.path as osp
import tempfile
from typing import Optional

import numpy as np
import torch
from torch import Tensor

from .onnx_export import FaceParsingExportModel, export_onnx

#: the example input size of the export (any size from 32 px up runs afterwards)
EXAMPLE_SHAPE = (2, 3, 224, 224)


def _import_onnxruntime():
    try:
        import onnxruntime
    except ImportError as e:
        raise ImportError(
            "backend='onnxruntime' needs onnxruntime: "
            'pip install -c requirements/constraints.txt -e ".[onnx]"'
        ) from e
    return onnxruntime


def cache_dir() -> str:
    """Where exported graphs are kept (module docstring)."""
    root = os.environ.get('REDNET_MMSEG_CACHE')
    if not root:
        xdg = os.environ.get('XDG_CACHE_HOME') or osp.join(osp.expanduser('~'), '.cache')
        root = osp.join(xdg, 'rednet_mmseg')
    return osp.join(root, 'onnx')


def model_digest(model: FaceParsingExportModel) -> str:
    """A digest of everything the exported graph depends on: weights, buffers, prior, version."""
    from ..version import __version__

    h = hashlib.sha256(f'{__version__}|{model.with_prior}|{type(model.segmentor)}'.encode())
    for name, value in model.state_dict().items():
        h.update(name.encode())
        h.update(str(tuple(value.shape)).encode())
        h.update(value.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()[:20]


def cached_onnx(model: FaceParsingExportModel, num_classes: int) -> str:
    """The path of ``model`` exported with dynamic sizes, exporting it once if needed."""
    return _cached_session(model, num_classes, threads=1)[0]


def _cached_session(model: FaceParsingExportModel, num_classes: int, threads: int):
    """``(path, session)`` of the cached export, exported (again) if missing or unreadable."""
    path = osp.join(cache_dir(), f'{model_digest(model)}.onnx')
    if osp.isfile(path):
        try:
            return path, _session(path, threads)
        except Exception:  # noqa: BLE001 (any unreadable cache file is exported again)
            pass
    os.makedirs(osp.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix='.onnx.part', dir=osp.dirname(path))
    os.close(fd)
    try:
        export_onnx(model, tmp, EXAMPLE_SHAPE, num_classes, dynamic=True)
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
    return path, _session(path, threads)


def _session(path: str, threads: int):
    ort = _import_onnxruntime()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=['CPUExecutionProvider'])


class OnnxRuntimeScores:
    """``scores(images, priors)`` of an exported dynamic-size graph, run by onnxruntime.

    Args:
        path (str): the ``.onnx`` file (inputs ``image`` and, with a prior, ``prior``; first
            output the scores), e.g. from :func:`cached_onnx`.
        threads (int, optional): onnxruntime's intra-op threads. Default: torch's.
    """

    def __init__(self, path: str, threads: Optional[int] = None, session=None):
        self.path = path
        self.session = session or _session(path, threads or torch.get_num_threads())
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.with_prior = 'prior' in self.input_names

    @classmethod
    def from_model(
        cls, model: FaceParsingExportModel, num_classes: int, threads: Optional[int] = None
    ):
        """Export ``model`` (or reuse its cached export) and open it (once)."""
        threads = threads or torch.get_num_threads()
        path, session = _cached_session(model, num_classes, threads)
        return cls(path, threads, session)

    def scores(self, image: Tensor, prior: Optional[Tensor] = None) -> Tensor:
        """``(N, K, H, W)`` scores of ``(N, 3, H, W)`` BGR 0-255 images (and priors).

        As :meth:`FaceParsingExportModel.scores`; ``prior`` is ``(N, K, H, W)``.
        """
        feeds = dict(image=np.ascontiguousarray(image.numpy(), np.float32))
        if self.with_prior:
            if prior is None:
                raise ValueError(f'{self.path} takes a prior: none given')
            feeds['prior'] = np.ascontiguousarray(prior.numpy(), np.float32)
        return torch.from_numpy(self.session.run(['scores'], feeds)[0])
