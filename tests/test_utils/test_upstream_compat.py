import os
import sys

import numpy as np
import pytest
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from rednet_mmseg.utils import upstream_compat
from rednet_mmseg.utils.upstream_compat import (UnsafeCheckpointError, safe_load,
                                                trusted_checkpoint_loads)


def test_mmseg_models_import_and_missing_ops_raise_only_when_called():
    import mmseg.models  # noqa: F401  (fails with "No module named 'mmcv._ext'" unpatched)
    ext = sys.modules['mmcv._ext']
    if getattr(ext, 'REDNET_STANDIN', False):
        assert ext.__spec__ is not None
        with pytest.raises(NotImplementedError, match='sigmoid_focal_loss_forward'):
            ext.sigmoid_focal_loss_forward()


def _runner_like_checkpoint(path):
    """What mmengine's CheckpointHook writes: weights plus log buffers and numpy metadata."""
    buf = HistoryBuffer()
    buf.update(0.5)
    ckpt = dict(state_dict={'w': torch.arange(4.)},
                meta=dict(iter=3, dataset_meta=dict(classes=('a', 'b')), seed=np.int64(7)),
                message_hub=dict(log_scalars={'loss': buf}))
    torch.save(ckpt, path)


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_weights_load_keeps_weights_and_metadata_inert(tmp_path):
    path = str(tmp_path / 'iter_3.pth')
    _runner_like_checkpoint(path)
    ckpt = CheckpointLoader.load_checkpoint(path)  # the load_from / --checkpoint path
    assert torch.equal(ckpt['state_dict']['w'], torch.arange(4.))
    assert ckpt['meta']['dataset_meta']['classes'] == ('a', 'b')
    assert isinstance(ckpt['message_hub']['log_scalars']['loss'], upstream_compat._Inert)


def test_malicious_checkpoint_is_refused_without_running_it(tmp_path, monkeypatch):
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={'w': torch.zeros(1)}, x=_Payload(marker)), path)
    with pytest.raises(UnsafeCheckpointError, match='posix.system|os.system') as err:
        CheckpointLoader.load_checkpoint(path)
    assert upstream_compat.TRUST_ENV in str(err.value) and path in str(err.value)
    assert not marker.exists()
    # explicitly trusted: full unpickling (and the payload runs, as the user asked)
    monkeypatch.setenv(upstream_compat.TRUST_ENV, path)
    safe_load(path)
    assert marker.exists()


def test_resume_context_unpickles_fully(tmp_path):
    path = str(tmp_path / 'iter_3.pth')
    _runner_like_checkpoint(path)
    with trusted_checkpoint_loads():
        ckpt = safe_load(path)
    assert isinstance(ckpt['message_hub']['log_scalars']['loss'], HistoryBuffer)


def test_truncated_checkpoint_error_names_file(tmp_path):
    path = tmp_path / 'cut.pth'
    _runner_like_checkpoint(str(path))
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(RuntimeError, match='cut.pth: not a readable checkpoint'):
        safe_load(str(path))


def test_apply_is_idempotent():
    from mmengine.runner import Runner
    resume = Runner.resume
    upstream_compat.apply()
    assert Runner.resume is resume
