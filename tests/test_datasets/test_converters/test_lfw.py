import os
import shutil
import subprocess
import sys

import cv2
import numpy as np
import pytest

from rednet_mmseg.datasets.converters import ConversionError, convert_lfw


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
