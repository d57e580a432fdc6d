"""draw_legend: one swatch per class in the palette's colour (RGB palette, BGR image)."""

import numpy as np

from rednet_mmseg.datasets import HelenDataset
from rednet_mmseg.visualization import draw_legend


def test_one_row_per_class_in_its_colour():
    meta = HelenDataset.METAINFO
    img = draw_legend(meta['classes'], meta['palette'], swatch=20)
    assert img.shape == (11 * 24 + 4, 240, 3) and img.dtype == np.uint8
    for i, rgb in enumerate(meta['palette']):
        y = 4 + i * 24 + 10  # the middle of row i's swatch
        assert tuple(img[y, 14]) == tuple(rgb[::-1]), meta['classes'][i]
        assert (img[y, 40:200] < 128).any()  # its label text
