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
