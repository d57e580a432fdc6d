"""Losses of the plugin."""

from .face_cross_entropy_loss import FaceCrossEntropyLoss
from .face_dice_loss import FaceDiceLoss
from .soft_cross_entropy import soft_cross_entropy

__all__ = ['FaceCrossEntropyLoss', 'FaceDiceLoss', 'soft_cross_entropy']
