"""LazyFigureSegVisualizer: mmseg's visualizer whose matplotlib figure is made on first use."""

import numpy as np
import torch
from matplotlib.figure import Figure
from mmengine.structures import PixelData
from mmseg.registry import VISUALIZERS
from mmseg.structures import SegDataSample
from mmseg.utils import register_all_modules
from mmseg.visualization import SegLocalVisualizer

from rednet_mmseg.visualization import LazyFigureSegVisualizer


def test_no_figure_until_it_draws_then_the_same_drawing():
    register_all_modules(init_default_scope=True)
    meta = dict(classes=('bg', 'skin', 'hair'), palette=[[0, 0, 0], [0, 255, 0], [0, 0, 255]])
    lazy = VISUALIZERS.build(dict(type='LazyFigureSegVisualizer', name='lazy_figure_test'))
    assert isinstance(lazy, LazyFigureSegVisualizer) and isinstance(lazy, SegLocalVisualizer)
    assert not isinstance(lazy.__dict__['_fig_save'], Figure)  # nothing built yet
    plain = SegLocalVisualizer(name='plain_figure_test')
    assert lazy.dpi == plain.dpi
    img = np.random.RandomState(0).randint(0, 256, (40, 50, 3), np.uint8)
    sample = SegDataSample()
    sample.pred_sem_seg = PixelData(data=torch.from_numpy(np.indices((40, 50))[1] // 17)[None])
    drawn = []
    for vis in (lazy, plain):  # (mmseg 1.2.2's __init__ passes classes and palette swapped)
        vis.set_dataset_meta(**meta)
        vis.add_datasample('face', img, sample, draw_gt=False, show=False, with_labels=False)
        drawn.append(vis.get_image())
    assert drawn[0].shape == (40, 50, 3)
    np.testing.assert_array_equal(drawn[0], drawn[1])
    assert isinstance(lazy.fig_save, Figure)
