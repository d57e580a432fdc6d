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


def probe_output_dir(path: str, what: str = 'output directory') -> str:
    """Like :func:`check_output_dir`, but creates nothing.

    ``path`` (or, if it does not exist yet, its nearest existing parent) must be a writable
    directory. Returns the absolute path.
    """
    path = osp.abspath(path)
    if osp.exists(path) and not osp.isdir(path):
        raise OutputDirError(f'{what} {path}: exists and is not a directory')
    probe = path
    while not osp.exists(probe):
        probe = osp.dirname(probe)
    if not osp.isdir(probe):
        raise OutputDirError(f'{what} {path}: cannot be written (Not a directory)')
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputDirError(f'{what} {path}: cannot be written (Permission denied)')
    return path


class StagedOutput:
    """The outputs of one tool run appear whole, and replace only the tool's own earlier ones.

    Files are written into a hidden staging folder inside ``out_dir`` (``root`` while the run
    lasts) and moved into place only when the run succeeds; a failed run leaves ``out_dir`` as
    it was. Each run lists what it wrote in ``out_dir/<manifest>``; the next run into the same
    folder removes those files first, so no label map of an earlier run is left beside the new
    ones. Files in the tool's sub-folders that no run of the tool wrote are never touched:
    :meth:`check` refuses such a folder before any work starts.

    Args:
        out_dir (str): the output folder. manifest (str): file name of the run's list.
        owned (tuple): sub-folders and file names the tool writes (checked for strangers).
    """

    def __init__(self, out_dir: str, manifest: str, owned=()):
        self.out_dir = osp.abspath(out_dir)
        self.manifest = osp.join(self.out_dir, manifest)
        self.owned = tuple(owned)
        self.root = None

    def previous(self) -> list:
        """Relative paths the previous run wrote (empty without a manifest)."""
        import json

        try:
            with open(self.manifest) as f:
                files = json.load(f).get('files', [])
        except (OSError, ValueError, AttributeError):
            return []
        return [f for f in files if isinstance(f, str) and not osp.isabs(f) and '..' not in f]

    def check(self) -> None:
        """Raise :class:`OutputDirError` if ``out_dir`` holds files of ours of no known run.

        Such files would be mixed with this run's.
        """
        probe_output_dir(self.out_dir, '--out-dir')
        ours = set(self.previous())
        strangers = []
        for item in self.owned:
            path = osp.join(self.out_dir, item)
            if osp.isdir(path):
                strangers += [
                    osp.join(item, f)
                    for f in sorted(os.listdir(path))
                    if osp.join(item, f) not in ours
                ]
            elif osp.exists(path) and item not in ours:
                strangers.append(item)
        if strangers:
            raise OutputDirError(
                f'--out-dir {self.out_dir}: holds {len(strangers)} file(s) that this tool did not '
                f'write in an earlier run (e.g. {strangers[0]}); they would be mixed with the new '
                'outputs. Choose another --out-dir or move them.'
            )

    def __enter__(self):
        """Check the output folder and start staging."""
        self.check()
        os.makedirs(self.out_dir, exist_ok=True)
        self.root = tempfile.mkdtemp(prefix='.partial-', dir=self.out_dir)
        return self.root

    def __exit__(self, exc_type, exc, tb):
        """Move the staged outputs in place on success; discard them on an error."""
        import json
        import shutil

        root, self.root = self.root, None
        if exc_type is not None:
            shutil.rmtree(root, ignore_errors=True)
            return False
        for rel in self.previous():
            old = osp.join(self.out_dir, rel)
            if osp.isfile(old):
                os.remove(old)
        written = []
        for d, _, files in os.walk(root):
            for f in files:
                rel = osp.relpath(osp.join(d, f), root)
                os.makedirs(osp.dirname(osp.join(self.out_dir, rel)), exist_ok=True)
                os.replace(osp.join(d, f), osp.join(self.out_dir, rel))
                written.append(rel)
        shutil.rmtree(root, ignore_errors=True)
        with open(self.manifest, 'w') as f:
            json.dump(dict(files=sorted(written)), f, indent=1)
            f.write('\n')
        return False
