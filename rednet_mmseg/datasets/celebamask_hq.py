"""CelebAMask-HQ face parsing data set (Lee et al., CVPR 2020)."""

from mmseg.registry import DATASETS

from .base_face_dataset import BaseFaceDataset

#: class names in label order; also the mask file suffixes of the release (after background)
CELEBAMASK_CLASSES = (
    'background',
    'skin',
    'nose',
    'eye_g',
    'l_eye',
    'r_eye',
    'l_brow',
    'r_brow',
    'l_ear',
    'r_ear',
    'mouth',
    'u_lip',
    'l_lip',
    'hair',
    'hat',
    'ear_r',
    'neck_l',
    'neck',
    'cloth',
)


@DATASETS.register_module()
class CelebAMaskHQDataset(BaseFaceDataset):
    """CelebAMask-HQ, as written by ``tools/dataset_converters/celebamask_hq.py``.

    512x512 images and labels, 19 classes merged from the per-part masks (later parts overwrite
    earlier ones). Left/right pairs: eyes (4, 5), brows (6, 7), ears (8, 9). No landmarks.
    """

    METAINFO = dict(
        classes=CELEBAMASK_CLASSES,
        palette=[
            [0, 0, 0],
            [204, 0, 0],
            [76, 153, 0],
            [204, 204, 0],
            [51, 51, 255],
            [204, 0, 204],
            [0, 255, 255],
            [255, 204, 204],
            [102, 51, 0],
            [255, 0, 0],
            [102, 204, 0],
            [255, 255, 0],
            [0, 0, 153],
            [0, 0, 204],
            [255, 51, 153],
            [0, 204, 204],
            [0, 51, 0],
            [255, 153, 51],
            [0, 204, 0],
        ],
    )
