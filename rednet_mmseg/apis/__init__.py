from .face_parsing_inferencer import FaceParsingInferencer, config_needs_landmarks
from .image_inputs import expand_inputs
from .landmark_detector import FaceLandmarkDetector, NoFaceError, detect_landmark_table

__all__ = [
    'FaceLandmarkDetector',
    'FaceParsingInferencer',
    'NoFaceError',
    'config_needs_landmarks',
    'detect_landmark_table',
    'expand_inputs',
]
