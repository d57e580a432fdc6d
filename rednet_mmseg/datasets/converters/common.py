"""Helpers shared by the dataset converters: atomic output trees and clear errors."""
import contextlib
import os
import os.path as osp
import shutil
import tempfile


class ConversionError(RuntimeError):
    """A source file is missing or malformed; the message names the file."""


@contextlib.contextmanager
def atomic_output_dir(out_dir: str, src_dir: str):
    """Yield a temporary sibling directory that replaces ``out_dir`` only on success.

    A crash or a bad source file leaves ``out_dir`` exactly as it was (absent, or the previous
    complete conversion) and removes the partial tree. ``out_dir`` may not lie inside
    ``src_dir``: converters never write into their source tree.
    """
    out_dir, src_dir = osp.abspath(out_dir), osp.abspath(src_dir)
    if out_dir == src_dir or out_dir.startswith(src_dir + os.sep):
        raise ConversionError(f'{out_dir}: the output may not be inside the source tree '
                              f'{src_dir}; converters never modify their source')
    parent = osp.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f'.{osp.basename(out_dir)}.partial-', dir=parent)
    os.chmod(tmp, 0o755)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if osp.exists(out_dir):
        old = tempfile.mkdtemp(prefix=f'.{osp.basename(out_dir)}.old-', dir=parent)
        os.rename(out_dir, osp.join(old, 'tree'))
    os.rename(tmp, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def read_text_lines(path: str):
    """Non-empty stripped lines of a text file, with 1-based line numbers."""
    if not osp.isfile(path):
        raise ConversionError(f'{path}: file not found')
    with open(path, encoding='utf-8', errors='strict') as f:
        try:
            lines = f.read().splitlines()
        except UnicodeDecodeError as err:
            raise ConversionError(f'{path}: not a text file ({err})') from err
    return [(i + 1, line.strip()) for i, line in enumerate(lines) if line.strip()]
