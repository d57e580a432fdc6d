"""Helen face parsing data set (Smith et al., CVPR 2013)."""

from mmseg.registry import DATASETS

from .base_face_dataset import BaseFaceDataset


@DATASETS.register_module()
class HelenDataset(BaseFaceDataset):
    """Helen, as written by ``tools/dataset_converters/helen.py``.

    Label convention: 0 background, 1 face skin, 2/3 left/right eyebrow, 4/5 left/right eye,
    6 nose, 7 upper lip, 8 inner mouth, 9 lower lip, 10 hair; 255 ignored. Background is a
    class. 5-point landmarks available (see :class:`BaseFaceDataset`).
    """

    METAINFO = dict(
        classes=(
            'background',
            'skin',
            'left_eyebrow',
            'right_eyebrow',
            'left_eye',
            'right_eye',
            'nose',
            'upper_lip',
            'inner_mouth',
            'lower_lip',
            'hair',
        ),
        palette=[
            [0, 0, 0],
            [204, 178, 153],
            [90, 50, 20],
            [140, 80, 30],
            [0, 90, 230],
            [0, 190, 255],
            [230, 130, 60],
            [200, 30, 60],
            [110, 0, 30],
            [240, 90, 120],
            [60, 30, 90],
        ],
    )
