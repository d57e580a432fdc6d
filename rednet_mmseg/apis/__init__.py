"""Inference APIs: the face parsing inferencer, landmark detection, multi-face parsing."""

from .detect_files import detect_landmark_table
from .face_parsing_inferencer import (
    FaceParsingInferencer,
    config_needs_dense_points,
    config_needs_landmarks,
)
from .image_inputs import expand_inputs
from .landmark_detector import FaceLandmarkDetector, NoFaceError
from .model_zoo import DEFAULT_MODEL, SHIPPED_MODELS, shipped_model

__all__ = [
    'DEFAULT_MODEL',
    'FaceLandmarkDetector',
    'FaceParsingInferencer',
    'NoFaceError',
    'SHIPPED_MODELS',
    'config_needs_dense_points',
    'config_needs_landmarks',
    'detect_landmark_table',
    'expand_inputs',
    'shipped_model',
]
