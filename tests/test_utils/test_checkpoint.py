"""Checkpoint trust policy: weights-only, trusted and corrupt loads.

Weights-only loads keep metadata inert and refuse code; trusted loads unpickle fully; corrupt files
are named. Loaded through mmengine's CheckpointLoader, as load_from / --checkpoint / init_cfg do.
"""

import os

import numpy as np
import pytest
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from rednet_mmseg.utils import checkpoint
from rednet_mmseg.utils.checkpoint import UnsafeCheckpointError, safe_load, trusted_checkpoint_loads
from rednet_mmseg.utils.upstream_compat import checkpoint_policy


def _runner_like_checkpoint(path):
    """What mmengine's CheckpointHook writes: weights plus log buffers and numpy metadata."""
    buf = HistoryBuffer()
    buf.update(0.5)
    ckpt = dict(
        state_dict={'w': torch.arange(4.0)},
        meta=dict(iter=3, dataset_meta=dict(classes=('a', 'b')), seed=np.int64(7)),
        message_hub=dict(log_scalars={'loss': buf}),
    )
    torch.save(ckpt, path)


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


def test_weights_load_keeps_weights_and_metadata_inert(tmp_path):
    path = str(tmp_path / 'iter_3.pth')
    _runner_like_checkpoint(path)
    with checkpoint_policy():  # as FaceRunner loads load_from / --checkpoint
        ckpt = CheckpointLoader.load_checkpoint(path)
    assert torch.equal(ckpt['state_dict']['w'], torch.arange(4.0))
    assert ckpt['meta']['dataset_meta']['classes'] == ('a', 'b')
    assert isinstance(ckpt['message_hub']['log_scalars']['loss'], checkpoint._Inert)


def test_malicious_checkpoint_is_refused_without_running_it(tmp_path, monkeypatch):
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={'w': torch.zeros(1)}, x=_Payload(marker)), path)
    with pytest.raises(UnsafeCheckpointError, match='posix.system|os.system') as err:
        with checkpoint_policy():
            CheckpointLoader.load_checkpoint(path)
    assert checkpoint.TRUST_ENV in str(err.value) and path in str(err.value)
    assert not marker.exists()
    # explicitly trusted: full unpickling (and the payload runs, as the user asked)
    monkeypatch.setenv(checkpoint.TRUST_ENV, path)
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


def test_resume_only_the_runs_own_or_a_trusted_file(tmp_path, monkeypatch):
    work, other = tmp_path / 'work', tmp_path / 'elsewhere.pth'
    work.mkdir()
    _runner_like_checkpoint(str(other))
    checkpoint.check_resume_allowed(str(work / 'iter_3.pth'), str(work))  # its own
    with pytest.raises(
        UnsafeCheckpointError,
        match="elsewhere.pth: resuming unpickles .* not in the run's work_dir",
    ):
        checkpoint.check_resume_allowed(str(other), str(work))
    monkeypatch.setenv(checkpoint.TRUST_ENV, str(other))
    checkpoint.check_resume_allowed(str(other), str(work))
