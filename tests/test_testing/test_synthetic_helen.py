"""The synthetic Helen release follows the original format (docs/en/data_formats.md)."""

import glob
import os

import cv2
import numpy as np

from rednet_mmseg.testing import make_synthetic_helen


def test_release_layout(tmp_path):
    names, labels = make_synthetic_helen(
        str(tmp_path), num_train=2, num_val=1, num_test=1, seed=1, size_range=(80, 90)
    )
    assert (tmp_path / 'exemplars.txt').read_text().splitlines() == [
        f'{i + 1} , {n}' for i, n in enumerate(names['train'])
    ]
    for name, label in labels.items():
        maps = [
            cv2.imread(
                str(tmp_path / 'labels' / name / f'{name}_lbl{c:02d}.png'), cv2.IMREAD_UNCHANGED
            )
            for c in range(11)
        ]
        assert all(m.dtype == np.uint8 and m.shape == label.shape for m in maps)
        assert np.array_equal(np.argmax(np.stack(maps), 0), label)  # argmax = the drawing
        assert cv2.imread(str(tmp_path / 'images' / f'{name}.jpg')).shape[:2] == label.shape
    files = glob.glob(str(tmp_path / 'annotation' / '*.txt'))
    assert len(files) == 4
    lines = open(files[0]).read().splitlines()
    assert len(lines) == 195 and lines[0] in labels and ' , ' in lines[1]
    assert set(np.unique(np.concatenate([np.unique(v) for v in labels.values()]))) == set(
        range(11)
    )  # every class drawn
    assert not os.path.exists(tmp_path / 'originals')
