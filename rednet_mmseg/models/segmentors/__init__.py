"""Segmentors: mmseg's EncoderDecoder with the adaptive prior."""

from .prior_encoder_decoder import PriorEncoderDecoder

__all__ = ['PriorEncoderDecoder']
