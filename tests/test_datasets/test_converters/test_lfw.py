import os
import shutil
import subprocess
import sys

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rednet_mmseg.datasets.converters import ConversionError, convert_lfw
from rednet_mmseg.datasets.converters.lfw import COLOURS, ppm_to_label


def test_converts_split_and_colours(lfw_release, tmp_path, digest):
    src, names, labels = lfw_release
    before = digest(src)
    counts = convert_lfw(src, str(tmp_path / 'out'), progress=False)
    assert counts == dict(train=3, val=2, test=2)
    for split, ns in names.items():
        for n in ns:
            got = cv2.imread(str(tmp_path / 'out' / 'annotations' / split / f'{n}.png'), 0)
            assert np.array_equal(got, labels[n])  # blue 0, green 1, red 2
    assert digest(src) == before


@pytest.fixture
def copy(lfw_release, tmp_path):
    dst = tmp_path / 'src'
    shutil.copytree(lfw_release[0], dst)
    return dst, lfw_release[1]


def test_impure_pixel_error_names_file_and_pixel(copy, tmp_path):
    src, names = copy
    name = names['val'][0]
    ppm = src / 'parts_lfw_funneled_gt_images' / f'{name}.ppm'
    img = cv2.imread(str(ppm))
    img[7, 11] = (10, 200, 30)  # BGR, not a pure colour
    cv2.imwrite(str(ppm), img)
    with pytest.raises(
        ConversionError,
        match=rf'{name}.ppm: pixel \(x=11, y=7\) has colour '
        r'RGB\(30, 200, 10\)',
    ):
        convert_lfw(str(src), str(tmp_path / 'out'), progress=False)
    assert not (tmp_path / 'out').exists()
    convert_lfw(str(src), str(tmp_path / 'out'), unknown='ignore', progress=False)
    label = cv2.imread(str(tmp_path / 'out' / 'annotations' / 'val' / f'{name}.png'), 0)
    assert label[7, 11] == 255 and (label != 255).sum() == label.size - 1


@pytest.mark.parametrize(
    'damage,message',
    [
        ('split_line', r'parts_test.txt:1: expected "Name N"'),
        ('missing_image', 'missing, unreadable or corrupt image'),
        ('missing_ppm', 'missing, unreadable or corrupt label image'),
    ],
)
def test_errors(copy, tmp_path, damage, message):
    src, names = copy
    name = names['test'][0]
    if damage == 'split_line':
        (src / 'parts_test.txt').write_text('Aaron_Eckhart one\n')
    elif damage == 'missing_image':
        person = name.rsplit('_', 1)[0]
        os.remove(src / 'lfw_funneled' / person / f'{name}.jpg')
    else:
        os.remove(src / 'parts_lfw_funneled_gt_images' / f'{name}.ppm')
    with pytest.raises(ConversionError, match=message):
        convert_lfw(str(src), str(tmp_path / 'out'), progress=False)
    assert not (tmp_path / 'out').exists()


def test_cli_summary(lfw_release, tmp_path, repo_root):
    res = subprocess.run(
        [
            sys.executable,
            'tools/dataset_converters/lfw.py',
            lfw_release[0],
            '-o',
            str(tmp_path / 'o'),
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0 and 'train 3, val 2, test 2 images' in res.stdout, res.stderr


# ---- property-based: the colour maps -------------------------------------------------------


_RGB = {v: k for k, v in COLOURS.items()}


@given(
    arrays(np.uint8, st.tuples(st.integers(1, 12), st.integers(1, 12)), elements=st.integers(0, 2))
)
def test_colour_maps_round_trip(tmp_path, label):
    rgb = np.array([_RGB[c] for c in label.ravel()], np.uint8).reshape(*label.shape, 3)
    path = str(tmp_path / 'x.ppm')
    cv2.imwrite(path, rgb[..., ::-1])
    assert np.array_equal(ppm_to_label(path), label)


@given(
    arrays(np.uint8, (6, 7, 3), elements=st.sampled_from([0, 255])),
    st.tuples(st.integers(0, 5), st.integers(0, 6)),
    st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).filter(
        lambda c: c not in COLOURS
    ),
)
def test_any_impure_pixel_is_named(tmp_path, rgb, where, colour):
    rgb = rgb.copy()
    rgb[where] = colour
    path = str(tmp_path / 'y.ppm')
    cv2.imwrite(path, rgb[..., ::-1])
    impure = [tuple(int(v) for v in rgb[y, x]) not in COLOURS for y in range(6) for x in range(7)]
    with pytest.raises(ConversionError, match=r'y.ppm: pixel \(x=\d+, y=\d+\) has colour') as err:
        ppm_to_label(path)
    assert f'({sum(impure)} such pixels)' in str(err.value)
    label = ppm_to_label(path, unknown='ignore')
    assert label[where] == 255 and int((label == 255).sum()) == sum(impure)
