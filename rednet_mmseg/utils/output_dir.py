"""Fail early, with the path in the message, when an output directory cannot be written."""

import os
import os.path as osp
import tempfile


class OutputDirError(OSError):
    """An output directory cannot be created or written."""


def check_output_dir(path: str, what: str = 'output directory') -> str:
    """Create ``path`` if needed and prove it is writable; return its absolute path.

    Tools call this before any work starts, so a bad ``--work-dir`` / ``--out`` fails in
    seconds instead of after an epoch, and nothing is left half-written. Raises
    :class:`OutputDirError` naming the path and the reason (a file in the way, no permission,
    read-only file system).
    """
    path = osp.abspath(path)
    if osp.exists(path) and not osp.isdir(path):
        raise OutputDirError(f'{what} {path}: exists and is not a directory')
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as err:
        raise OutputDirError(f'{what} {path}: cannot be written ({err.strerror or err})') from None
    return path
