"""What every converter may replace (``common.check_replaceable_output``), for all four.

Each case checks the source tree's digest (paths, bytes, mtimes) before and after, and that a
refused output folder is left exactly as it was.
"""

import json
import os
import shutil

import pytest

from rednet_mmseg.datasets.converters import (
    ConversionError,
    convert_celebamask_hq,
    convert_helen,
    convert_lapa,
    convert_lfw,
)
from rednet_mmseg.datasets.converters.common import MANIFEST

CONVERTERS = dict(
    helen=('helen_release', convert_helen),
    lfw=('lfw_release', convert_lfw),
    lapa=('lapa_release', convert_lapa),
    celebamask_hq=('celebamask_release', convert_celebamask_hq),
)


@pytest.fixture(params=sorted(CONVERTERS))
def release(request, tmp_path):
    """``(name, src copy in tmp_path/'work'/'release', convert)`` for each converter."""
    fixture, convert = CONVERTERS[request.param]
    src = tmp_path / 'work' / 'release'
    shutil.copytree(request.getfixturevalue(fixture)[0], src)
    return request.param, src, lambda out, **kw: convert(str(src), str(out), progress=False, **kw)


def _user_folder(path):
    path.mkdir(parents=True)
    (path / 'thesis.tex').write_text('my own work')
    (path / 'figures').mkdir()
    (path / 'figures' / 'a.png').write_bytes(b'png')


def test_output_containing_the_source_is_refused(release, digest):
    _, src, convert = release
    before, parent = digest(str(src)), src.parent
    for overwrite in (False, True):  # --overwrite never deletes the source
        with pytest.raises(ConversionError, match='contains the source tree') as err:
            convert(parent, overwrite=overwrite)
        assert str(parent) in str(err.value)
    assert digest(str(src)) == before
    assert sorted(os.listdir(parent)) == ['release']


def test_output_inside_the_source_is_refused(release, digest):
    _, src, convert = release
    before = digest(str(src))
    with pytest.raises(ConversionError, match='inside the source tree'):
        convert(src / 'converted')
    assert digest(str(src)) == before


def test_a_folder_of_the_user_is_refused_and_kept(release, digest, tmp_path):
    _, src, convert = release
    out = tmp_path / 'mine'
    _user_folder(out)
    before, before_out = digest(str(src)), digest(str(out))
    with pytest.raises(ConversionError) as err:
        convert(out)
    msg = str(err.value)
    assert str(out) in msg and 'figures' in msg and 'thesis.tex' in msg and '--overwrite' in msg
    assert digest(str(out)) == before_out and digest(str(src)) == before
    convert(out, overwrite=True)  # the user asked for it
    assert not (out / 'thesis.tex').exists() and (out / MANIFEST).is_file()
    assert digest(str(src)) == before


def test_a_previous_conversion_is_replaced(release, digest, tmp_path):
    name, src, convert = release
    before, out = digest(str(src)), tmp_path / 'converted'
    out.mkdir()  # an empty folder is fine
    counts = convert(out)
    info = json.loads((out / MANIFEST).read_text())
    assert info['source'] == str(src) and info['images'] == counts
    assert set(info['entries']) == set(os.listdir(out)) - {MANIFEST}
    (out / 'splits' / 'train.txt').write_text('stale\n')
    assert convert(out) == counts  # our own previous tree: replaced without asking
    assert (out / 'splits' / 'train.txt').read_text() != 'stale\n'
    # a file the user added to a converted tree is not ours: refused, then --overwrite
    (out / 'prior_bank.npz').write_bytes(b'bank')
    with pytest.raises(ConversionError, match='prior_bank.npz, which the conversion did not'):
        convert(out)
    assert (out / 'prior_bank.npz').read_bytes() == b'bank'
    convert(out, overwrite=True)
    assert not (out / 'prior_bank.npz').exists()
    assert digest(str(src)) == before
    assert sorted(os.listdir(tmp_path)) == ['converted', 'work']  # no partial or old trees


def test_cli_refuses_the_natural_mistake(helen_release, tmp_path, tool_main, digest):
    """``helen.py data/helen/SmithCVPR2013_dataset_resized -o data/helen`` kept the release."""
    data = tmp_path / 'data' / 'helen'
    src = data / 'SmithCVPR2013_dataset_resized'
    shutil.copytree(helen_release[0], src)
    before = digest(str(src))
    for extra in ([], ['--overwrite']):
        res = tool_main('dataset_converters/helen.py', src, '-o', data, *extra)
        assert res.returncode != 0 and 'contains the source tree' in res.stderr
        assert 'Traceback' not in res.stderr
    assert digest(str(src)) == before and os.listdir(data) == [src.name]
