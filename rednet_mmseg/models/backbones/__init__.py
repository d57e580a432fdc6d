from .rednet_encoder import RedNetEncoder
from .vgg_encoder import VGGEncoder

__all__ = ['RedNetEncoder', 'VGGEncoder']
