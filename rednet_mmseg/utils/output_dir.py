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


#: Prefix of a run's staging folder / file: ``.partial-<pid>-<random>``.
STAGING_PREFIX = '.partial-'


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's live process, or a platform without signals
    return True


def remove_stale_staging(folder: str) -> list:
    """Remove ``.partial-<pid>-*`` staging items whose run is gone (killed, e.g. SIGKILL).

    A run that is killed cannot clean up after itself; the next run into the same folder does.
    Items of a live process (a concurrent run) and items without a pid are left alone. Returns
    the removed paths.
    """
    import shutil

    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(STAGING_PREFIX):
            continue
        pid = name[len(STAGING_PREFIX) :].split('-', 1)[0]
        if not pid.isdigit() or _pid_alive(int(pid)):
            continue
        path = osp.join(folder, name)
        if osp.isdir(path) and not osp.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.remove(path)
            except OSError:
                continue
        removed.append(path)
    return removed


def staging_prefix() -> str:
    """``.partial-<pid>-``: the prefix of this process's staging items."""
    return f'{STAGING_PREFIX}{os.getpid()}-'


def normal_file_mode(path: str) -> None:
    """Give a file made by ``mkstemp`` (mode 0600) the mode ``open()`` would (0666 & ~umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


class StagedOutput:
    """The outputs of one tool run appear whole, and replace only the tool's own earlier ones.

    Files are written into a hidden staging folder inside ``out_dir`` (``root`` while the run
    lasts) and moved into place only when the run succeeds; a failed run leaves ``out_dir`` as
    it was, and a killed run's staging folder is removed by the next run
    (:func:`remove_stale_staging`). Each run lists what it wrote in ``out_dir/<manifest>``; the
    next run into the same folder removes those files first, so no label map of an earlier run
    is left beside the new ones. Files in the tool's sub-folders that no run of the tool wrote
    are never touched: :meth:`check` refuses such a folder before any work starts.

    The run's inputs (``keep``: an edited landmark table passed back in, an image in the
    folder) are never outputs to clean up: they are neither removed nor replaced, even when an
    earlier run wrote them, and they are no longer listed as the tool's.

    Args:
        out_dir (str): the output folder. manifest (str): file name of the run's list.
        owned (tuple | None): sub-folders and file names the tool writes (checked for
            strangers); ``None``: the whole folder is the tool's (e.g. a folder of frames).
        keep (list): paths of the run's inputs. what (str): the option, for messages.
    """

    def __init__(self, out_dir: str, manifest: str, owned=(), keep=(), what='--out-dir'):
        self.what = what
        self.out_dir = osp.abspath(out_dir)
        self.manifest = osp.join(self.out_dir, manifest)
        self.owned = None if owned is None else tuple(owned)
        self.keep = {osp.realpath(p) for p in keep if p}
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

    def _kept(self, rel: str) -> bool:
        return osp.realpath(osp.join(self.out_dir, rel)) in self.keep

    def outputs_among(self, paths) -> list:
        """Those of ``paths`` that are the tool's outputs here (an earlier run's, or owned names).

        A folder input equal to ``out_dir`` must not read the previous run's ``legend.png``.
        """
        ours = set(self.previous()) | set(self.owned or ())
        rels = ((p, osp.relpath(osp.abspath(p), self.out_dir)) for p in paths)
        return [p for p, rel in rels if not rel.startswith('..') and rel in ours]

    def keep_inputs(self, paths) -> None:
        """Add ``paths`` to the run's inputs (never removed or replaced)."""
        self.keep |= {osp.realpath(p) for p in paths if p}

    def _items(self):
        if self.owned is not None:
            return self.owned
        try:
            names = sorted(os.listdir(self.out_dir))
        except OSError:
            return ()
        skip = osp.basename(self.manifest)
        return [n for n in names if n != skip and not n.startswith(STAGING_PREFIX)]

    def check(self) -> None:
        """Raise :class:`OutputDirError` if ``out_dir`` holds files of ours of no known run.

        Such files would be mixed with this run's.
        """
        probe_output_dir(self.out_dir, self.what)
        ours = set(self.previous())
        strangers = []
        for item in self._items():
            path = osp.join(self.out_dir, item)
            if osp.isdir(path):
                for d, _, files in os.walk(path):
                    strangers += [
                        rel
                        for f in sorted(files)
                        if (rel := osp.relpath(osp.join(d, f), self.out_dir)) not in ours
                        and not self._kept(rel)
                    ]
            elif osp.lexists(path) and item not in ours and not self._kept(item):
                strangers.append(item)
        if strangers:
            raise OutputDirError(
                f'{self.what} {self.out_dir}: holds {len(strangers)} file(s) that this tool did '
                f'not write in an earlier run (e.g. {strangers[0]}); they would be mixed with the '
                f'new outputs. Choose another {self.what} or move them.'
            )

    def __enter__(self):
        """Check the output folder and start staging."""
        self.check()
        os.makedirs(self.out_dir, exist_ok=True)
        remove_stale_staging(self.out_dir)
        self.root = tempfile.mkdtemp(prefix=staging_prefix(), dir=self.out_dir)
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
            if osp.isfile(old) and not self._kept(rel):
                os.remove(old)
        written = []
        for d, _, files in os.walk(root):
            for f in files:
                rel = osp.relpath(osp.join(d, f), root)
                if self._kept(rel):  # an input of this run: never replaced
                    continue
                os.makedirs(osp.dirname(osp.join(self.out_dir, rel)), exist_ok=True)
                os.replace(osp.join(d, f), osp.join(self.out_dir, rel))
                written.append(rel)
        shutil.rmtree(root, ignore_errors=True)
        with open(self.manifest, 'w') as f:
            json.dump(dict(files=sorted(written)), f, indent=1)
            f.write('\n')
        return False


class StagedFile:
    """One output file (a video) under :class:`StagedOutput`'s rules.

    :meth:`check` runs before any work: the path must not be a folder, and an existing file
    there is replaced only if this tool wrote it (listed, with its size and modification time,
    in the folder's ``manifest``; a file changed or put there since is someone else's). The run
    writes ``staging`` (a hidden file in the same folder with the same extension, so the
    container matches the name), and :meth:`commit` gives it a normal file mode and moves it in
    place; :meth:`discard` removes it. A killed run's staging file is removed by the next run.

    Args:
        path (str): the output file. manifest (str): file name of the folder's list of the
            tool's outputs. what (str): the option, for messages.
    """

    def __init__(self, path: str, manifest: str, what: str = '--out'):
        self.path = osp.abspath(path)
        self.folder = osp.dirname(self.path)
        self.manifest = osp.join(self.folder, manifest)
        self.what = what
        self.staging = None

    def _written(self) -> dict:
        import json

        try:
            with open(self.manifest) as f:
                files = json.load(f).get('files', {})
        except (OSError, ValueError, AttributeError):
            return {}
        return files if isinstance(files, dict) else {}

    @staticmethod
    def _stamp(path: str) -> list:
        st = os.stat(path)
        return [st.st_size, st.st_mtime_ns]

    def check(self) -> None:
        """Raise :class:`OutputDirError` if the output cannot be written or is not the tool's."""
        probe_output_dir(self.folder, f'{self.what} folder')
        if osp.isdir(self.path):
            raise OutputDirError(f'{self.what} {self.path}: is a folder; give a file name')
        if osp.lexists(self.path):
            name = osp.basename(self.path)
            if osp.islink(self.path) or self._written().get(name) != self._stamp(self.path):
                raise OutputDirError(
                    f'{self.what} {self.path}: exists and was not written by this tool (or was '
                    'changed since); choose another name or move it'
                )

    def start(self) -> str:
        """Check, then create and return the staging file's path."""
        self.check()
        remove_stale_staging(self.folder)
        fd, self.staging = tempfile.mkstemp(
            prefix=staging_prefix(), suffix=osp.splitext(self.path)[1], dir=self.folder
        )
        os.close(fd)
        return self.staging

    def commit(self) -> None:
        """Move the finished staging file in place (normal mode) and list it as the tool's."""
        import json

        normal_file_mode(self.staging)
        os.replace(self.staging, self.path)
        self.staging = None
        files = self._written()
        files = {n: v for n, v in files.items() if osp.isfile(osp.join(self.folder, n))}
        files[osp.basename(self.path)] = self._stamp(self.path)
        tmp = f'{self.manifest}.{os.getpid()}.tmp'
        with open(tmp, 'w') as f:
            json.dump(dict(files=files), f, indent=1)
            f.write('\n')
        os.replace(tmp, self.manifest)

    def discard(self) -> None:
        """Remove the staging file (the run failed)."""
        if self.staging and osp.exists(self.staging):
            os.remove(self.staging)
        self.staging = None
