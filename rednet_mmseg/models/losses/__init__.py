"""Losses of the plugin."""

from .face_cross_entropy_loss import FaceCrossEntropyLoss
from .soft_cross_entropy import soft_cross_entropy

__all__ = ['FaceCrossEntropyLoss', 'soft_cross_entropy']
