"""Face-aware transforms: landmarks, the adaptive prior, face crops and mirroring."""

from .face_augment import FaceCropResize, FaceRandomFlip
from .formatting import PackFaceInputs
from .loading import LoadFaceLandmarks, LoadFacePrior
from .soft_labels import SoftFaceLabels

__all__ = [
    'FaceCropResize',
    'FaceRandomFlip',
    'LoadFaceLandmarks',
    'LoadFacePrior',
    'PackFaceInputs',
    'SoftFaceLabels',
]
