"""LaPa face parsing data set (Liu et al., AAAI 2020)."""

from mmseg.registry import DATASETS

from .base_face_dataset import BaseFaceDataset
from .helen import HelenDataset


@DATASETS.register_module()
class LaPaDataset(BaseFaceDataset):
    """LaPa, as written by ``tools/dataset_converters/lapa.py``.

    11 classes in Helen's order (0 background ... 10 hair), 5-point landmarks from LaPa's 106
    points.
    """

    METAINFO = HelenDataset.METAINFO
