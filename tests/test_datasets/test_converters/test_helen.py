import glob
import os
import os.path as osp
import re
import shutil
import subprocess
import sys

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rednet_mmseg.datasets.converters import ConversionError, convert_helen
from rednet_mmseg.datasets.converters.helen import (
    five_points_from_helen194,
    read_landmark_file,
    read_split_file,
)
from rednet_mmseg.testing import make_synthetic_helen


def test_converted_tree_matches_release(helen_release, helen_converted):
    src, names, labels = helen_release
    for split in ('train', 'val', 'test'):
        assert sorted(os.listdir(osp.join(helen_converted, 'images', split))) == sorted(
            f'{n}.jpg' for n in names[split]
        )
        for n in names[split]:
            label = cv2.imread(
                osp.join(helen_converted, 'annotations', split, f'{n}.png'), cv2.IMREAD_UNCHANGED
            )
            assert label.dtype == np.uint8 and np.array_equal(label, labels[n])
            with (
                open(osp.join(src, 'images', f'{n}.jpg'), 'rb') as a,
                open(osp.join(helen_converted, 'images', split, f'{n}.jpg'), 'rb') as b,
            ):
                assert a.read() == b.read()  # copied byte for byte
            pts = np.loadtxt(osp.join(helen_converted, 'landmarks', split, f'{n}.txt'))
            assert pts.shape == (5, 2)
            # eye centres lie on the eye labels, the nose tip near the nose label
            for (x, y), cls in zip(pts[:2], ((4, 5), (4, 5))):
                assert labels[n][int(round(y)), int(round(x))] in cls
            iod = np.linalg.norm(pts[1] - pts[0])
            assert _distance_to_class(labels[n], 6, pts[2]) <= 0.25 * iod  # lip may cover it
            assert pts[0, 0] < pts[1, 0] and pts[3, 0] < pts[4, 0]


def _distance_to_class(label, cls, point):
    ys, xs = np.nonzero(label == cls)
    return np.hypot(xs - point[0], ys - point[1]).min()


def test_source_untouched_and_rerunnable(helen_release, tmp_path, digest):
    src = helen_release[0]
    before = digest(src)
    out = str(tmp_path / 'out')
    convert_helen(src, out, progress=False)
    convert_helen(src, out, progress=False)  # re-run replaces the tree
    assert digest(src) == before
    assert sorted(os.listdir(tmp_path)) == ['out']  # no partial or old trees left


def test_paper_split(helen_release, tmp_path):
    src, names, _ = helen_release
    counts = convert_helen(src, str(tmp_path / 'p'), split='paper', progress=False)
    assert counts == dict(
        train=len(names['train']) + len(names['val']),
        val=len(names['val']),
        test=len(names['test']),
    )


def test_split_file_syntax(tmp_path):
    p = tmp_path / 'exemplars.txt'
    p.write_text('1 , 100032540_1\n2 , 100040721_1\n\n')
    assert read_split_file(str(p)) == ['100032540_1', '100040721_1']
    p.write_text('1 100032540_1\n')
    with pytest.raises(ConversionError, match=r'exemplars.txt:1: expected "index , name"'):
        read_split_file(str(p))
    p.write_text('')
    with pytest.raises(ConversionError, match='empty'):
        read_split_file(str(p))


def test_five_points_from_194():
    pts = np.zeros((194, 2))
    pts[114:134] = (30, 40)
    pts[134:154] = (10, 40)  # the second contour is the image-left eye here
    pts[49] = (20, 60)
    pts[58:86] = (20, 80)
    pts[60], pts[70] = (5, 80), (35, 81)
    out = five_points_from_helen194(pts)
    np.testing.assert_allclose(out, [[10, 40], [30, 40], [20, 60], [5, 80], [35, 81]])


@pytest.fixture
def broken_release(helen_release, tmp_path):
    src = tmp_path / 'release'
    shutil.copytree(helen_release[0], src)
    return src, helen_release[1]


@pytest.mark.parametrize(
    'damage,message',
    [
        ('missing_label', '_lbl07.png: missing label map'),
        ('corrupt_image', 'corrupt image'),
        ('size_mismatch', 'differs from the image size'),
        ('missing_landmarks', 'no landmark file for image'),
        ('bad_landmarks', 'expected "x , y"'),
    ],
)
def test_bad_input_clear_error_and_no_output(broken_release, tmp_path, damage, message):
    src, names = broken_release
    name = names['test'][0]
    if damage == 'missing_label':
        os.remove(src / 'labels' / name / f'{name}_lbl07.png')
    elif damage == 'corrupt_image':
        (src / 'images' / f'{name}.jpg').write_bytes(b'\xff\xd8 not really a jpeg')
    elif damage == 'size_mismatch':
        cv2.imwrite(str(src / 'labels' / name / f'{name}_lbl03.png'), np.zeros((5, 5), np.uint8))
    else:
        lm = [p for p in (src / 'annotation').iterdir() if p.read_text().splitlines()[0] == name][0]
        if damage == 'missing_landmarks':
            lm.unlink()
        else:
            lines = lm.read_text().splitlines()
            lm.write_text('\n'.join(lines[:5] + ['12.0 ; oops'] + lines[6:]) + '\n')
    out = tmp_path / 'out'
    with pytest.raises(ConversionError, match=message) as err:
        convert_helen(str(src), str(out), progress=False)
    assert str(src) in str(err.value) or name in str(err.value)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ['release']


def test_output_inside_source_is_refused(helen_release):
    with pytest.raises(ConversionError, match='inside the source tree'):
        convert_helen(helen_release[0], osp.join(helen_release[0], 'out'), progress=False)


def test_cli(helen_release, tmp_path, tool_main):
    out = tmp_path / 'cli'
    res = tool_main('dataset_converters/helen.py', helen_release[0], '-o', out)
    assert res.returncode == 0, res.stderr
    assert 'train 6, val 3, test 3' in res.stdout
    res = tool_main('dataset_converters/helen.py', tmp_path / 'nope', '-o', tmp_path / 'o2')
    assert res.returncode != 0 and 'nope: Helen source directory not found' in res.stderr


@pytest.fixture(scope='module')
def release_at_original_scale(tmp_path_factory):
    """A release whose 194-point files are at the original photos' resolution.

    Ratios 1.2-3.5, as in real Helen, with those original photos.
    """
    root = tmp_path_factory.mktemp('helen_orig_scale')
    src, originals = str(root / 'release'), str(root / 'originals')
    names, labels = make_synthetic_helen(
        src,
        num_train=4,
        num_val=2,
        num_test=2,
        seed=11,
        size_range=(110, 150),
        ratio_range=(1.2, 3.5),
        originals_dir=originals,
    )
    return src, originals, names, labels


def _drawn_five_points(src, name, ratio):
    """The 5 points of ``name`` at the resized image's resolution (file coordinates / ratio)."""
    path = next(
        p
        for p in glob.glob(osp.join(src, 'annotation', '*.txt'))
        if open(p).readline().strip() == name
    )
    return five_points_from_helen194(read_landmark_file(path)[1] / ratio)


@pytest.mark.parametrize('with_originals', [False, True])
def test_landmarks_at_original_resolution(release_at_original_scale, tmp_path, with_originals):
    src, originals, names, labels = release_at_original_scale
    report = {}
    convert_helen(
        src,
        str(tmp_path / 'out'),
        progress=False,
        landmark_report=report,
        original_images=originals if with_originals else None,
    )
    for split, ns in names.items():
        for n in ns:
            h, w = labels[n].shape
            big = cv2.imread(osp.join(originals, 'helen_1', f'{n}.jpg'))
            true_ratio = big.shape[1] / w  # the ratio of the photo written
            rec = report[n]
            assert rec['source'] == ('original' if with_originals else 'fit')
            # originals: exact up to the photo's integer size; fit: within the search step
            tol = 1.0 / min(h, w) if with_originals else 0.01
            assert abs(rec['ratio'] / true_ratio - 1) < tol, (n, rec, true_ratio)
            pts = np.loadtxt(tmp_path / 'out' / 'landmarks' / split / f'{n}.txt')
            expected = _drawn_five_points(src, n, true_ratio)
            iod = np.linalg.norm(expected[1] - expected[0])
            assert np.abs(pts - expected).max() < 0.03 * iod
            # the eye centres fall on the eyes, the nose tip on the nose outline
            for x, y in pts[:2]:
                assert labels[n][int(round(y)), int(round(x))] in (4, 5)
            assert _distance_to_class(labels[n], 6, pts[2]) <= 0.25 * iod  # lip may cover it
    lines = (tmp_path / 'out' / 'landmarks' / 'ratios.txt').read_text().splitlines()
    assert len(lines) == 1 + sum(len(v) for v in names.values())


def test_landmarks_of_another_image_are_refused(release_at_original_scale, tmp_path):
    src, _, names, _ = release_at_original_scale
    copy = tmp_path / 'release'
    shutil.copytree(src, copy)
    a, b = names['train'][:2]
    files = {open(p).readline().strip(): p for p in glob.glob(str(copy / 'annotation' / '*.txt'))}
    text_a, text_b = open(files[a]).read(), open(files[b]).read()
    with open(files[a], 'w') as f:  # a's name over b's points
        f.write(a + '\n' + text_b.split('\n', 1)[1])
    with open(files[b], 'w') as f:
        f.write(b + '\n' + text_a.split('\n', 1)[1])
    with pytest.raises(ConversionError, match='miss the label outlines') as err:
        convert_helen(str(copy), str(tmp_path / 'out'), progress=False)
    assert osp.basename(files[a]) in str(err.value) or osp.basename(files[b]) in str(err.value)
    assert not (tmp_path / 'out').exists()


def test_missing_original_photo(release_at_original_scale, tmp_path):
    src, originals, names, _ = release_at_original_scale
    copy = tmp_path / 'originals'
    shutil.copytree(originals, copy)
    os.remove(copy / 'helen_1' / f'{names["test"][0]}.jpg')
    with pytest.raises(ConversionError, match=f'no original photo {names["test"][0]}.jpg'):
        convert_helen(src, str(tmp_path / 'out'), original_images=str(copy), progress=False)


def test_cli_prints_ratio_summary(release_at_original_scale, tmp_path, repo_root):
    res = subprocess.run(
        [
            sys.executable,
            osp.join(repo_root, 'tools/dataset_converters/helen.py'),
            release_at_original_scale[0],
            '-o',
            str(tmp_path / 'o'),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert re.search(
        r'landmark ratio \(original / resized, fit\) for 8 images: min 1\.\d+', res.stdout
    ), res.stdout


# ---- property-based: the release's text files --------------------------------------------


_SPLIT_NAMES = st.text(
    st.characters(blacklist_characters=',', blacklist_categories=('Cs', 'Zs', 'Cc', 'Zl', 'Zp')),
    min_size=1,
    max_size=20,
)


@given(st.lists(_SPLIT_NAMES, min_size=1, max_size=8))
def test_split_files_round_trip(tmp_path, names):
    path = tmp_path / 'split.txt'
    path.write_text(''.join(f'{i + 1} , {n}\n' for i, n in enumerate(names)), encoding='utf-8')
    assert read_split_file(str(path)) == names


@given(
    _SPLIT_NAMES,
    st.lists(
        st.tuples(st.floats(-1e4, 1e4, allow_nan=False), st.floats(-1e4, 1e4, allow_nan=False)),
        min_size=194,
        max_size=194,
    ),
)
def test_annotation_files_round_trip(tmp_path, name, points):
    path = tmp_path / '1.txt'
    path.write_text(name + '\n' + ''.join(f'{x!r} , {y!r}\n' for x, y in points))
    got_name, got = read_landmark_file(str(path))
    assert got_name == name and np.allclose(got, np.array(points, np.float32))


@given(st.text(st.characters(blacklist_categories=('Cs',)), max_size=400))
def test_arbitrary_release_text_gives_a_named_error(tmp_path, text):
    """Any text as a split file or an annotation file: names, or a named error.

    A ConversionError naming the file, never another exception.
    """
    path = tmp_path / 'f.txt'
    path.write_text(text, encoding='utf-8')
    for read in (read_split_file, read_landmark_file):
        try:
            read(str(path))
        except ConversionError as err:
            assert str(err).startswith(str(path))


@pytest.mark.parametrize('bad', ['nan , 3', '4 , inf', '1 , 2 , 3', 'x , 1'])
def test_annotation_point_that_is_not_a_point(tmp_path, bad):
    path = tmp_path / '7.txt'
    path.write_text('img\n' + '1 , 2\n' * 100 + bad + '\n' + '1 , 2\n' * 93)
    with pytest.raises(ConversionError, match=rf'{path}:102: '):
        read_landmark_file(str(path))
