"""expand_inputs: files, folders and globs in a stable order; clashing names refused."""

import pytest

from rednet_mmseg.apis import expand_inputs


def test_files_folders_and_globs(tmp_path):
    (tmp_path / 'd').mkdir()
    for name in ('d/b.jpg', 'd/a.PNG', 'd/notes.txt', 'c.jpg', 'x/e.jpg'):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b'')
    paths, from_patterns = expand_inputs(
        [str(tmp_path / 'c.jpg'), str(tmp_path / 'd'), str(tmp_path / 'x' / '*.jpg')]
    )
    assert paths == [str(tmp_path / p) for p in ('c.jpg', 'd/a.PNG', 'd/b.jpg', 'x/e.jpg')]
    assert from_patterns == {str(tmp_path / p) for p in ('d/a.PNG', 'd/b.jpg', 'x/e.jpg')}


def test_errors_name_the_input(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.jpg: no such image'):
        expand_inputs([str(tmp_path / 'nothing.jpg')])
    (tmp_path / 'a').mkdir()
    (tmp_path / 'a' / 'x.jpg').write_bytes(b'')
    (tmp_path / 'x.png').write_bytes(b'')
    with pytest.raises(ValueError, match='two inputs named x'):
        expand_inputs([str(tmp_path / 'a'), str(tmp_path / 'x.png')])
