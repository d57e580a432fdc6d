"""draw_legend: one swatch per class in the palette's colour (RGB palette, BGR image)."""

import numpy as np

from rednet_mmseg.datasets import HelenDataset
from rednet_mmseg.visualization import draw_legend


def test_one_row_per_class_in_its_colour():
    meta = HelenDataset.METAINFO
    img = draw_legend(meta['classes'], meta['palette'], swatch=20)
    # one row per class, and one saying that left and right are the subject's
    assert img.shape == (12 * 24 + 4, 240, 3) and img.dtype == np.uint8
    for i, rgb in enumerate(meta['palette']):
        y = 4 + i * 24 + 10  # the middle of row i's swatch
        assert tuple(img[y, 14]) == tuple(rgb[::-1]), meta['classes'][i]
        assert (img[y, 40:200] < 128).any()  # its label text


def test_sides_are_explained_only_where_classes_have_sides():
    meta = HelenDataset.METAINFO
    sided = draw_legend(meta['classes'], meta['palette'], swatch=20)
    assert (sided[4 + 11 * 24 : 4 + 12 * 24, 4:200] < 128).any()  # the note's text
    plain = draw_legend(['background', 'skin', 'hair'], meta['palette'][:3], swatch=20)
    assert plain.shape[0] == 3 * 24 + 4
