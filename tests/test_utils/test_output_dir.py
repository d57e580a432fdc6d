"""check_output_dir creates a writable folder or names the path and the reason."""

import os

import pytest

from rednet_mmseg.utils.output_dir import OutputDirError, check_output_dir


def test_creates_nested_folder_and_returns_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = check_output_dir('a/b', '--out')
    assert out == str(tmp_path / 'a' / 'b') and os.path.isdir(out)
    assert os.listdir(out) == []  # the write probe leaves nothing behind


def test_file_in_the_way(tmp_path):
    blocker = tmp_path / 'f'
    blocker.write_text('x')
    with pytest.raises(OutputDirError, match=f'--work-dir {blocker}: exists and is not a dir'):
        check_output_dir(str(blocker), '--work-dir')
    with pytest.raises(OutputDirError, match=f'{blocker / "sub"}: cannot be written'):
        check_output_dir(str(blocker / 'sub'), '--work-dir')


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, '-c', 'pass'])
    proc.wait()
    return proc.pid


def test_an_input_in_the_output_folder_is_never_removed_or_replaced(tmp_path):
    """An edited landmarks.txt passed back as an input survives the run into the same folder."""
    import json

    from rednet_mmseg.utils.output_dir import StagedOutput

    out = tmp_path / 'P'
    with StagedOutput(str(out), 'run.json', ('pred', 'landmarks.txt')) as root:
        os.makedirs(os.path.join(root, 'pred'))
        open(os.path.join(root, 'pred', 'a.png'), 'w').write('1')
        open(os.path.join(root, 'landmarks.txt'), 'w').write('detected')
    (out / 'landmarks.txt').write_text('edited by hand')
    table = str(out / 'landmarks.txt')
    with StagedOutput(str(out), 'run.json', ('pred', 'landmarks.txt'), keep=[table]) as root:
        os.makedirs(os.path.join(root, 'pred'))
        open(os.path.join(root, 'pred', 'a.png'), 'w').write('2')
        open(os.path.join(root, 'landmarks.txt'), 'w').write('would replace the input')
    assert (out / 'landmarks.txt').read_text() == 'edited by hand'
    assert (out / 'pred' / 'a.png').read_text() == '2'
    # no longer the tool's: a later run without it as an input refuses the folder, keeps it
    assert json.loads((out / 'run.json').read_text())['files'] == ['pred/a.png']
    with pytest.raises(OutputDirError, match='e.g. landmarks.txt'):
        StagedOutput(str(out), 'run.json', ('pred', 'landmarks.txt')).check()
    assert (out / 'landmarks.txt').read_text() == 'edited by hand'


def test_a_killed_runs_staging_is_removed_by_the_next_run(tmp_path):
    from rednet_mmseg.utils.output_dir import StagedFile, StagedOutput

    dead = tmp_path / f'.partial-{_dead_pid()}-abc'
    dead.mkdir()
    (dead / 'x.png').write_text('half written')
    live = tmp_path / f'.partial-{os.getpid()}-concurrent'  # a run still going: left alone
    live.mkdir()
    dead_file = tmp_path / f'.partial-{_dead_pid()}-x.mp4'
    dead_file.write_text('half a video')
    with StagedOutput(str(tmp_path), 'run.json', ('pred',)) as root:
        os.makedirs(os.path.join(root, 'pred'))
    assert not dead.exists() and live.is_dir() and not dead_file.exists()
    dead_file.write_text('half a video')
    video = StagedFile(str(tmp_path / 'v.mp4'), '.runs.json')
    video.start()
    video.discard()
    assert not dead_file.exists() and live.is_dir()


def test_a_single_output_file_replaces_only_its_own(tmp_path):
    """A video output: foreign files and folders refused, its own replaced, a normal mode."""
    from rednet_mmseg.utils.output_dir import StagedFile

    mine = tmp_path / 'mine.mp4'
    mine.write_text('my holiday video')
    with pytest.raises(OutputDirError, match='exists and was not written by this tool'):
        StagedFile(str(mine), '.runs.json').check()
    (tmp_path / 'dir.mp4').mkdir()
    with pytest.raises(OutputDirError, match='is a folder'):
        StagedFile(str(tmp_path / 'dir.mp4'), '.runs.json').check()
    out = StagedFile(str(tmp_path / 'out.mp4'), '.runs.json')
    with open(out.start(), 'w') as f:
        f.write('first')
    out.commit()
    umask = os.umask(0)
    os.umask(umask)
    assert (os.stat(tmp_path / 'out.mp4').st_mode & 0o777) == 0o666 & ~umask
    again = StagedFile(str(tmp_path / 'out.mp4'), '.runs.json')
    with open(again.start(), 'w') as f:
        f.write('second')
    again.commit()  # the tool's own output: replaced
    assert (tmp_path / 'out.mp4').read_text() == 'second'
    (tmp_path / 'out.mp4').write_text('edited since')  # changed by someone: no longer ours
    with pytest.raises(OutputDirError, match='or was changed since'):
        StagedFile(str(tmp_path / 'out.mp4'), '.runs.json').check()
    assert mine.read_text() == 'my holiday video'
