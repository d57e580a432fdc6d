import shutil

import cv2
import numpy as np
import pytest

from rednet_mmseg.datasets.converters import ConversionError, convert_lapa


def test_converts_labels_and_five_points(lapa_release, tmp_path, digest):
    src, names, labels, points = lapa_release
    before = digest(src)
    assert convert_lapa(src, str(tmp_path / 'o'), progress=False) == dict(train=3, val=2, test=2)
    for split, ns in names.items():
        for n in ns:
            got = cv2.imread(str(tmp_path / 'o' / 'annotations' / split / f'{n}.png'), 0)
            assert np.array_equal(got, labels[n])
            pts = np.loadtxt(tmp_path / 'o' / 'landmarks' / split / f'{n}.txt')
            np.testing.assert_allclose(pts, points[n], atol=0.01)
    assert digest(src) == before


@pytest.mark.parametrize(
    'damage,message',
    [
        ('landmark_header', 'expected a first line "106"'),
        ('label_value', 'label value 12 outside 0..10'),
        ('missing_label', 'missing or unreadable label'),
    ],
)
def test_errors(lapa_release, tmp_path, damage, message):
    src = tmp_path / 'src'
    shutil.copytree(lapa_release[0], src)
    name = lapa_release[1]['val'][0]
    if damage == 'landmark_header':
        (src / 'val' / 'landmarks' / f'{name}.txt').write_text('68\n1 2\n')
    elif damage == 'label_value':
        lbl = src / 'val' / 'labels' / f'{name}.png'
        img = cv2.imread(str(lbl), 0)
        img[0, 0] = 12
        cv2.imwrite(str(lbl), img)
    else:
        (src / 'val' / 'labels' / f'{name}.png').unlink()
    with pytest.raises(ConversionError, match=message) as err:
        convert_lapa(str(src), str(tmp_path / 'o'), progress=False)
    assert name in str(err.value)
    assert not (tmp_path / 'o').exists()
