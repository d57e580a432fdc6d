"""Container that carries max-pooling indices from RE-Net to RD-Net through mmseg's
unchanged ``EncoderDecoder``."""
from typing import Sequence

from torch import Tensor


class PooledFeatures(tuple):
    """A tuple of feature maps that also carries the encoder's max-pooling indices.

    It *is* a tuple of tensors, so every mmseg neck and head (``inputs[self.in_index]``) uses it
    as it would use a ResNet's outputs. :class:`~rednet_mmseg.models.RDHead` additionally reads
    ``pool_indices`` / ``pool_shapes`` to unpool exactly where the encoder pooled (paper Fig. 3).
    A neck that rebuilds the tuple drops the indices; RDHead then falls back to upsampling.

    Args:
        feats (Sequence[Tensor]): selected stage outputs, each ``(N, C_i, H_i, W_i)``.
        pool_indices (Sequence[Tensor]): ``argmax`` indices of every pooling layer of the
            encoder, shallow to deep, pool ``j`` shaped ``(N, C_j, H/2^(j+1), W/2^(j+1))``.
        pool_shapes (Sequence[tuple]): ``(H, W)`` of each pooling layer's *input*, needed to
            unpool odd sizes exactly (e.g. 250x250 LFW images).
    """

    def __new__(cls, feats: Sequence[Tensor], pool_indices: Sequence[Tensor] = (),
                pool_shapes: Sequence[tuple] = ()):
        obj = super().__new__(cls, feats)
        obj.pool_indices = tuple(pool_indices)
        obj.pool_shapes = tuple(tuple(s) for s in pool_shapes)
        return obj
