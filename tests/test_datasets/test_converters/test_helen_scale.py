"""The landmark ratio of the real Helen release: fitted, or read from the photo.

Fitted to the label outlines, or read from the original photo; fits of the wrong ratio are poor.
"""

import glob
import os.path as osp

import cv2
import numpy as np
import pytest

from rednet_mmseg.datasets.converters import ConversionError
from rednet_mmseg.datasets.converters.helen import read_label_map, read_landmark_file
from rednet_mmseg.datasets.converters.helen_scale import (
    fit_error,
    fit_landmark_ratio,
    index_original_images,
    ratio_from_original,
)
from rednet_mmseg.testing import make_synthetic_helen


@pytest.fixture(scope='module')
def release(tmp_path_factory):
    root = tmp_path_factory.mktemp('scale')
    names, labels = make_synthetic_helen(
        str(root / 'r'),
        num_train=2,
        num_val=1,
        num_test=1,
        seed=5,
        size_range=(120, 160),
        ratio_range=(1.5, 3),
        originals_dir=str(root / 'o'),
    )
    return str(root / 'r'), str(root / 'o'), names, labels


def _sample(src, name, labels):
    path = next(
        p
        for p in glob.glob(osp.join(src, 'annotation', '*.txt'))
        if open(p).readline().strip() == name
    )
    return read_landmark_file(path)[1], read_label_map(src, name, labels[name].shape)


def test_fit_recovers_the_ratio_of_the_original_photo(release):
    src, originals, names, labels = release
    index = index_original_images(originals)
    for name in names['train'] + names['test']:
        points, label = _sample(src, name, labels)
        truth = ratio_from_original(index[name], label.shape)
        ratio, err = fit_landmark_ratio(points, label)
        assert abs(ratio / truth - 1) < 0.01 and err < 1.0
        # 5 % off, the contours leave their outlines
        assert fit_error(points, label, truth * 1.05) > 2 * max(err, 0.5)
        # at the image's own resolution the fit says so: ratio 1
        assert fit_landmark_ratio(points / ratio, label)[0] == 1.0


def test_nothing_to_fit_and_bad_originals(release, tmp_path):
    src, originals, names, labels = release
    points, label = _sample(src, names['val'][0], labels)
    assert fit_landmark_ratio(points, np.zeros_like(label)) == (
        pytest.approx(float('nan'), nan_ok=True),
        float('inf'),
    )
    squashed = tmp_path / 'x.jpg'
    cv2.imwrite(str(squashed), np.zeros((label.shape[0] * 2, label.shape[1] * 3, 3), np.uint8))
    with pytest.raises(ConversionError, match='x.jpg: .* is not a uniform scaling'):
        ratio_from_original(str(squashed), label.shape)
    with pytest.raises(ConversionError, match='missing: original-images folder not found'):
        index_original_images(str(tmp_path / 'missing'))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ConversionError, match=r'empty: no original photos \(\*.jpg\)'):
        index_original_images(str(tmp_path / 'empty'))
