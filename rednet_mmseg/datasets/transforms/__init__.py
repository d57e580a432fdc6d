from .formatting import PackFaceInputs
from .loading import LoadFaceLandmarks, LoadFacePrior

__all__ = ['LoadFaceLandmarks', 'LoadFacePrior', 'PackFaceInputs']
