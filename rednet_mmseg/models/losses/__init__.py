"""Losses of the plugin."""

from .face_cross_entropy_loss import FaceCrossEntropyLoss

__all__ = ['FaceCrossEntropyLoss']
