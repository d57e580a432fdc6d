"""Checkpoint policy, output folders, timing and upstream workarounds."""

from .checkpoint import (
    TRUST_ENV,
    UnsafeCheckpointError,
    is_trusted,
    safe_load,
    trusted_checkpoint_loads,
)
from .checkpoint_fit import CheckpointMismatchError, check_checkpoint_fits
from .output_dir import OutputDirError, check_output_dir

__all__ = [
    'CheckpointMismatchError',
    'check_checkpoint_fits',
    'OutputDirError',
    'TRUST_ENV',
    'UnsafeCheckpointError',
    'check_output_dir',
    'is_trusted',
    'safe_load',
    'trusted_checkpoint_loads',
]
