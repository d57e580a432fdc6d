"""Segmentors: mmseg's EncoderDecoder with the adaptive prior; test-time mirroring for faces."""

from .face_tta_model import FaceSegTTAModel
from .prior_encoder_decoder import PriorEncoderDecoder

__all__ = ['FaceSegTTAModel', 'PriorEncoderDecoder']
