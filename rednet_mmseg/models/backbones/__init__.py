from .rednet_encoder import RedNetEncoder

__all__ = ['RedNetEncoder']
