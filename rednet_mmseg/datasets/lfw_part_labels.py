"""LFW Part Labels (Kae et al., CVPR 2013)."""

from mmseg.registry import DATASETS

from .base_face_dataset import BaseFaceDataset


@DATASETS.register_module()
class LFWPartLabelsDataset(BaseFaceDataset):
    """LFW-PL, as written by ``tools/dataset_converters/lfw.py``.

    250x250 aligned images, labels 0 background (blue in the release), 1 face skin (green), 2 hair
    (red). No landmarks.
    """

    METAINFO = dict(
        classes=('background', 'skin', 'hair'), palette=[[0, 0, 255], [0, 255, 0], [255, 0, 0]]
    )
