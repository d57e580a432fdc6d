"""One-line errors for ``tools/train.py`` and ``tools/test.py``, with no work dir left behind.

A misspelt config path, a config with a syntax error, a misspelt key inside ``--cfg-options``
(``model.decode_head.num_clases=5``), a type missing from a registry or a missing data folder
are the user's mistakes, not bugs: each stops the tool with one line naming the config and what
is wrong, and whatever the run had created in the work dir (mmengine's timestamped log folder)
is removed again. Anything else keeps its traceback.
"""

import contextlib
import os
import os.path as osp
import shutil
from typing import Optional, Sequence


def load_config(path: str, cfg_options: Optional[dict] = None, launcher: str = 'none'):
    """The config of ``path`` with ``--cfg-options`` merged; any problem is a ``SystemExit``."""
    from mmengine.config import Config

    try:
        cfg = Config.fromfile(path)
    except FileNotFoundError:
        raise SystemExit(f'error: {path}: config file not found') from None
    except Exception as err:  # syntax errors, bad _base_ paths, ...
        raise SystemExit(f'error: {path}: cannot be read as a config ({err})') from None
    cfg.launcher = launcher
    if cfg_options is not None:
        cfg.merge_from_dict(cfg_options)
    return cfg


def user_error_text(err: BaseException) -> Optional[str]:
    """The one-line text of a config / data mistake, or ``None`` for anything else (a bug).

    >>> text = user_error_text(TypeError("__init__() got an unexpected keyword argument 'x'"))
    >>> text.endswith('(a misspelt key in the config or --cfg-options?)')
    True
    >>> user_error_text(TypeError('unsupported operand')) is None
    True
    """
    from .checkpoint_fit import registry_message

    text = str(err)
    if isinstance(err, KeyError):
        return registry_message(err) if 'registry' in text else None
    if isinstance(err, TypeError):
        if 'unexpected keyword argument' in text or 'required positional argument' in text:
            return f'{text} (a misspelt key in the config or --cfg-options?)'
        return None
    if isinstance(err, FileNotFoundError):
        # the whole DataLoader worker traceback is not a message
        return text.split('\nOriginal Traceback')[0].strip()
    return None


@contextlib.contextmanager
def one_line_errors(
    config: str,
    work_dir: str,
    existed: Optional[bool] = None,
    kinds: Sequence[type] = (KeyError, TypeError, FileNotFoundError),
):
    """Turn a user's config / data mistake inside the block into one line naming ``config``.

    What the block created in ``work_dir`` is removed first, unless it wrote a checkpoint
    (then the run got far enough that its files are the user's). ``work_dir`` itself is
    removed when it is left empty and did not exist before the tool started (``existed``,
    default: whether it exists now).
    """
    if existed is None:
        existed = osp.isdir(work_dir)
    before = set(os.listdir(work_dir)) if existed else set()
    try:
        yield
    except tuple(kinds) as err:
        text = user_error_text(err)
        if text is None:
            raise
        new = set(os.listdir(work_dir)) - before if osp.isdir(work_dir) else set()
        if not any(name.endswith('.pth') for name in new):  # checkpoints sit in work_dir
            for name in new:
                path = osp.join(work_dir, name)
                if osp.isdir(path) and not osp.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.remove(path)
            if not existed and osp.isdir(work_dir) and not os.listdir(work_dir):
                os.rmdir(work_dir)
        raise SystemExit(f'error: {config}: {text}') from None
