from .prior_encoder_decoder import PriorEncoderDecoder

__all__ = ['PriorEncoderDecoder']
