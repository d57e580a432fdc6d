from .checkpoint import (
    TRUST_ENV,
    UnsafeCheckpointError,
    is_trusted,
    safe_load,
    trusted_checkpoint_loads,
)
from .output_dir import OutputDirError, check_output_dir

__all__ = [
    'OutputDirError',
    'TRUST_ENV',
    'UnsafeCheckpointError',
    'check_output_dir',
    'is_trusted',
    'safe_load',
    'trusted_checkpoint_loads',
]
