"""The upstream workarounds: compiled-op stand-in, mmengine pointed at our checkpoint policy,
applied once."""

import sys

import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

from rednet_mmseg.utils import checkpoint, upstream_compat


def test_mmseg_models_import_and_missing_ops_raise_only_when_called():
    import mmseg.models  # noqa: F401  (fails with "No module named 'mmcv._ext'" unpatched)

    ext = sys.modules['mmcv._ext']
    if getattr(ext, 'REDNET_STANDIN', False):
        assert ext.__spec__ is not None
        with pytest.raises(NotImplementedError, match='sigmoid_focal_loss_forward'):
            ext.sigmoid_focal_loss_forward()


def test_apply_is_idempotent():
    from mmengine.runner import Runner

    resume = Runner.resume
    upstream_compat.apply()
    assert Runner.resume is resume


def test_mmengine_loads_local_checkpoints_through_the_policy():
    if tuple(int(v) for v in torch.__version__.split('.')[:2]) >= (2, 6):
        assert CheckpointLoader._schemes[''] is checkpoint.safe_load
