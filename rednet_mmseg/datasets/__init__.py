"""Face parsing data sets (Helen, LFW-PL, LaPa, CelebAMask-HQ), transforms and converters."""

from .base_face_dataset import BaseFaceDataset
from .celebamask_hq import CelebAMaskHQDataset
from .face_folder import FaceFolderDataset
from .helen import HelenDataset
from .lapa import LaPaDataset
from .lfw_part_labels import LFWPartLabelsDataset
from .prior_bank import PriorBank
from .transforms import *  # noqa: F401,F403
from .transforms import __all__ as _transforms

__all__ = [
    'BaseFaceDataset',
    'CelebAMaskHQDataset',
    'FaceFolderDataset',
    'HelenDataset',
    'LaPaDataset',
    'LFWPartLabelsDataset',
    'PriorBank',
    *_transforms,
]
