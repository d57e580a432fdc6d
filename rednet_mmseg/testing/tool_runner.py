"""Run a command-line tool's ``main`` in the calling process (for the tests).

A subprocess pays several seconds of importing torch and mmseg again; the tests that check only
exit codes, files and printed lines run the tool here instead. As in a fresh process, mmengine's
current logger (where code that runs before a Runner logs) writes to this call's streams, and an
exception that leaves ``main`` is printed as a traceback with exit code 1. What differs: Python
warnings follow the caller's filters and are shown once per place per process (tests of
those run the tool as a subprocess).
"""

import contextlib
import io
import itertools
import os
import os.path as osp
import runpy
import sys
import traceback
import types
import warnings

_CALLS = itertools.count()


def run_tool(repo_root: str, tool: str, *args):
    """``tools/<tool>`` with ``args``: ``(returncode, stdout, stderr)`` as ``subprocess.run``."""
    out, err = io.StringIO(), io.StringIO()
    saved = (os.getcwd(), sys.argv, warnings.formatwarning)
    os.chdir(repo_root)
    sys.argv = [tool, *map(str, args)]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            from mmengine.logging import MMLogger

            # the newest instance is the current one: its handler writes to the stdout above
            MMLogger.get_instance(f'run_tool_{next(_CALLS)}', logger_name='mmengine')
            main = runpy.run_path(osp.join(repo_root, 'tools', tool), run_name='tool')['main']
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
                if exc.code is not None and not isinstance(exc.code, int):
                    print(exc.code, file=sys.stderr)
            except Exception:  # as Python does for an uncaught exception
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(saved[0])
        sys.argv, warnings.formatwarning = saved[1], saved[2]
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def run_process(repo_root: str, *args, timeout: int = 600, check: bool = False):
    """``python *args`` in ``repo_root`` as a subprocess (``subprocess.run``'s result).

    For tests of what only a fresh process shows (log handlers, exit codes of crashes,
    distributed launches). ``check``: assert exit code 0, showing the output's tails if not.
    """
    import subprocess

    res = subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return res
