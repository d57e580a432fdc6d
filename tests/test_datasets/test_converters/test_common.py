"""The converters' shared loop: the output appears whole or not at all."""

import os

import numpy as np
import pytest

from rednet_mmseg.datasets.converters.common import ConversionError, convert_splits, read_text_lines


def _one(split, name):
    if name == 'bad':
        raise ConversionError(f'{name}.png: broken')
    return dict(label=np.full((4, 5), 1, np.uint8), image=np.zeros((4, 5, 3), np.uint8))


def _with_points(split, name):
    return dict(_one(split, name), landmarks=np.zeros((5, 2)))


def test_tree_splits_and_extra_files(tmp_path):
    src, out = tmp_path / 'src', tmp_path / 'out'
    src.mkdir()
    counts = convert_splits(
        str(src),
        str(out),
        dict(train=['b', 'a'], test=['c']),
        _with_points,
        'demo',
        with_landmarks=True,
        progress=False,
        finish=lambda root: open(os.path.join(root, 'extra.txt'), 'w'),
    )
    assert counts == dict(train=2, test=1)
    assert (out / 'splits' / 'train.txt').read_text() == 'b\na\n'  # order kept
    assert sorted(os.listdir(out / 'annotations' / 'train')) == ['a.png', 'b.png']
    assert (out / 'landmarks' / 'test' / 'c.txt').is_file() and (out / 'extra.txt').is_file()


def test_failure_leaves_the_previous_output(tmp_path):
    src, out = tmp_path / 'src', tmp_path / 'out'
    src.mkdir()
    convert_splits(str(src), str(out), dict(train=['a']), _one, 'demo', progress=False)
    with pytest.raises(ConversionError, match='bad.png: broken'):
        convert_splits(str(src), str(out), dict(train=['a', 'bad']), _one, 'demo', progress=False)
    assert sorted(os.listdir(tmp_path)) == ['out', 'src']  # no partial tree left
    assert (out / 'splits' / 'train.txt').read_text() == 'a\n'
    with pytest.raises(ConversionError, match='may not be inside the source tree'):
        convert_splits(str(src), str(src / 'o'), dict(train=['a']), _one, 'demo', progress=False)


def test_read_text_lines(tmp_path):
    p = tmp_path / 'f.txt'
    p.write_text('a\n\n  b \n')
    assert read_text_lines(str(p)) == [(1, 'a'), (3, 'b')]
    p.write_bytes(b'\xff\xfe\x00')
    with pytest.raises(ConversionError, match='not a text file'):
        read_text_lines(str(p))
