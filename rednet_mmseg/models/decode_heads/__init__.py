"""Decoders that unpool with the encoder's indices (RD-Net, DeconvNet's)."""

from .deconv_head import DeconvHead
from .rd_head import RDHead

__all__ = ['DeconvHead', 'RDHead']
