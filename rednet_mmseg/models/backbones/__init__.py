"""Encoders that hand their max-pooling indices to the decoder (RE-Net, VGG-16)."""

from .rednet_encoder import RedNetEncoder
from .vgg_encoder import VGGEncoder

__all__ = ['RedNetEncoder', 'VGGEncoder']
