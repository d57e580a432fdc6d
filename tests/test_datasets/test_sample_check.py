"""Bad input catalogue, data side: each case is a clear error naming the file.

The tool-side cases (num_classes mismatch, unwritable output directory, truncated checkpoint)
are in tests/test_tools/test_bad_input_tools.py; the converters' own cases (corrupt release
files, empty split files of the release) are in tests/test_datasets/test_converters.
"""

import os
import shutil

import cv2
import numpy as np
import pytest
from mmseg.registry import DATASETS

from rednet_mmseg.datasets.sample_check import BadSampleError

PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]


@pytest.fixture
def root(helen_converted, tmp_path):
    dst = tmp_path / 'helen'
    shutil.copytree(helen_converted, dst)
    return dst


def _build(root, pipeline=PIPELINE, split='val', **kwargs):
    return DATASETS.build(
        dict(
            type='HelenDataset',
            data_root=str(root),
            pipeline=pipeline,
            data_prefix=dict(
                img_path=f'images/{split}',
                seg_map_path=f'annotations/{split}',
                landmark_path=f'landmarks/{split}',
            ),
            **kwargs,
        )
    )


def _first(root, split='val'):
    name = sorted(os.listdir(root / 'images' / split))[0][:-4]
    return (root / 'images' / split / f'{name}.jpg', root / 'annotations' / split / f'{name}.png')


def _load_all(ds):
    """Every sample as the pipeline returns it."""
    return [ds[i] for i in range(len(ds))]


def test_intact_data_passes_the_checks(root):
    ds = _build(root)
    _load_all(ds)
    assert ds._checked == set(range(len(ds)))


def test_corrupt_image(root):
    img, _ = _first(root)
    img.write_bytes(b'this is not a JPEG at all')
    with pytest.raises(BadSampleError, match=f'{img}: corrupt or not an image'):
        _load_all(_build(root))


def test_truncated_image(root):
    img, _ = _first(root)
    data = img.read_bytes()
    img.write_bytes(data[: len(data) // 2])
    # OpenCV alone would decode this with grey rows and a warning
    assert cv2.imread(str(img)) is not None
    with pytest.raises(BadSampleError, match=f'{img}: truncated JPEG'):
        _load_all(_build(root))


def test_truncated_label(root):
    _, seg = _first(root)
    data = seg.read_bytes()
    seg.write_bytes(data[: len(data) - 20])
    with pytest.raises(BadSampleError, match=f'{seg}: truncated PNG'):
        _load_all(_build(root))


def test_missing_label(root):
    _, seg = _first(root)
    seg.unlink()
    with pytest.raises(BadSampleError, match=f'have no label map, e.g. {seg}'):
        _build(root)


@pytest.mark.parametrize('value', [11, 254])
def test_label_values_outside_classes(root, value):
    _, seg = _first(root)
    labels = cv2.imread(str(seg), cv2.IMREAD_UNCHANGED)
    labels[0, :3] = value
    cv2.imwrite(str(seg), labels)
    with pytest.raises(
        BadSampleError,
        match=rf'{seg}: label values \[{value}\] are outside '
        r'the 11 classes',
    ):
        _load_all(_build(root))


def test_ignore_index_is_allowed(root):
    _, seg = _first(root)
    labels = cv2.imread(str(seg), cv2.IMREAD_UNCHANGED)
    labels[0, :3] = 255
    cv2.imwrite(str(seg), labels)
    ds = _build(root)
    samples = _load_all(ds)
    assert ds._checked == set(range(len(ds)))  # checked, and accepted
    loaded = [s['data_samples'].gt_sem_seg.data for s in samples]
    assert any((lab == 255).sum() >= 3 for lab in loaded)  # the ignored pixels reach the loss


def test_image_label_size_mismatch(root):
    img, seg = _first(root)
    labels = cv2.imread(str(seg), cv2.IMREAD_UNCHANGED)
    cv2.imwrite(str(seg), labels[:-2])
    with pytest.raises(BadSampleError, match=f'{seg}: label map is .* but its image {img} is'):
        _load_all(_build(root))


def test_multichannel_label(root):
    _, seg = _first(root)
    labels = cv2.imread(str(seg), cv2.IMREAD_UNCHANGED)
    cv2.imwrite(str(seg), np.dstack([labels] * 3))
    with pytest.raises(BadSampleError, match=f'{seg}: expected a single-channel label map'):
        _load_all(_build(root))


@pytest.mark.parametrize('damage', ['missing', 'malformed'])
def test_landmark_file_with_prior_on(root, damage):
    img, _ = _first(root)
    lm = root / 'landmarks' / 'val' / (img.stem + '.txt')
    if damage == 'missing':
        lm.unlink()
        message = 'missing or malformed landmark file'
    else:
        lm.write_text('10 20\n30 forty\n')
        message = 'missing or malformed landmark file'
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='LoadFaceLandmarks'),
        dict(type='LoadFacePrior', bank_file=str(root / 'prior_bank.npz')),
        dict(type='PackFaceInputs'),
    ]
    with pytest.raises(ValueError, match=f'{lm}: {message}'):
        _load_all(_build(root, pipeline))


def test_wrong_number_of_landmarks(root):
    img, _ = _first(root)
    lm = root / 'landmarks' / 'val' / (img.stem + '.txt')
    lm.write_text('10 20\n30 40\n')
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadFaceLandmarks'),
        dict(type='PackSegInputs'),
    ]
    with pytest.raises(ValueError, match=f'{lm}: expected 5 finite "x y" lines'):
        _load_all(_build(root, pipeline))


@pytest.mark.parametrize('damage', ['missing', 'empty'])
def test_split_file(root, damage):
    split = root / 'splits' / 'val.txt'
    if damage == 'missing':
        split.unlink()
        message = f'split file {split} not found'
    else:
        split.write_text('\n')
        message = f'split file {split} is empty'
    with pytest.raises((FileNotFoundError, ValueError), match=message):
        _build(root, ann_file='splits/val.txt')


def test_split_file_selects_images(root):
    names = (root / 'splits' / 'val.txt').read_text().split()
    (root / 'splits' / 'val.txt').write_text(names[0] + '\n')
    assert len(_build(root, ann_file='splits/val.txt')) == 1


def test_wrong_data_root(tmp_path):
    with pytest.raises(FileNotFoundError, match=f'{tmp_path / "nowhere"}.*check data_root'):
        _build(tmp_path / 'nowhere')


def test_checks_can_be_switched_off(root):
    _, seg = _first(root)
    labels = cv2.imread(str(seg), cv2.IMREAD_UNCHANGED)
    labels[0, 0] = 11
    cv2.imwrite(str(seg), labels)
    ds = _build(root, check_samples=False)
    samples = _load_all(ds)  # the bad value would have been refused with the checks on
    assert not ds._checked and len(samples) == len(ds)
    assert any((s['data_samples'].gt_sem_seg.data == 11).any() for s in samples)
