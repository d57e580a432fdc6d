"""Container that carries max-pooling indices from RE-Net to RD-Net.

It passes through mmseg's unchanged ``EncoderDecoder``.
"""

import warnings
from typing import Optional, Sequence, Tuple

import torch
from torch import Tensor, nn


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

    def __new__(
        cls,
        feats: Sequence[Tensor],
        pool_indices: Sequence[Tensor] = (),
        pool_shapes: Sequence[tuple] = (),
    ):
        """A tuple of ``outs`` that also carries the encoder's pooling indices."""
        obj = super().__new__(cls, feats)
        obj.pool_indices = tuple(pool_indices)
        obj.pool_shapes = tuple(tuple(s) for s in pool_shapes)
        return obj

    @classmethod
    def collect(
        cls,
        x: Tensor,
        stages: Sequence[nn.Module],
        pool: nn.Module,
        out_indices: Sequence[int],
        num_pools: Optional[int] = None,
    ) -> 'PooledFeatures':
        """Run an encoder, recording the pooling indices.

        Each stage, then (for the first ``num_pools``, default all) the index-returning ``pool``,
        recording indices and the pool's input size; returns the outputs of the stages in
        ``out_indices`` (after their pooling).

        Args:
            x (Tensor): ``(N, C, H, W)`` input of the first stage.
            stages (Sequence[nn.Module]): the encoder's stages, shallow to deep.
            pool (nn.Module): max-pooling with ``return_indices=True``.
            out_indices (Sequence[int]): stages whose outputs are returned.
            num_pools (int, optional): pool after the first this many stages only.
        """
        num_pools = len(stages) if num_pools is None else num_pools
        outs, indices, shapes = [], [], []
        for i, stage in enumerate(stages):
            x = stage(x)
            if i < num_pools:
                shapes.append(_size(x))
                x, idx = pool(x)
                indices.append(idx)
            if i in out_indices:
                outs.append(x)
        return cls(outs, indices, shapes)


def _size(x: Tensor) -> Tuple:
    """``(H, W)`` of ``x``: plain ints, symbolic under ``torch.export``.

    Plain ints also under tracing (FLOP counting, the TorchScript exporter); symbolic sizes under
    ``torch.export`` keep an exported graph's input size dynamic.
    """
    if torch.compiler.is_exporting():
        return tuple(x.shape[-2:])
    return int(x.shape[-2]), int(x.shape[-1])


_WARNED = set()


class UnpoolIndices:
    """The encoder's pooling indices handed to a decoder deep to shallow.

    One per level, each checked against the map it unpools. Without ``PooledFeatures`` (a plain
    tuple: another backbone, or a neck) every level gets ``(None, None)``: the decoder's upsampling
    fallback.

    Args:
        inputs: the backbone's outputs. num_levels (int): the decoder's unpooling levels.
        owner (str): the decoder's name, for error messages.
    """

    def __init__(self, inputs, num_levels: int, owner: str):
        pooled = isinstance(inputs, PooledFeatures)
        self._indices = list(inputs.pool_indices) if pooled else []
        self._shapes = list(inputs.pool_shapes) if pooled else []
        self.owner = owner
        if not pooled and owner not in _WARNED:  # once per decoder type and process
            _WARNED.add(owner)
            warnings.warn(
                f'{owner} receives no pooling indices (a backbone without them, or a neck '
                'between RedNetEncoder and the head, which drops them): every level upsamples '
                'by interpolation instead of max-unpooling',
                stacklevel=2,
            )
        if self._indices and len(self._indices) < num_levels:
            raise ValueError(
                f'{owner} has {num_levels} unpooling levels but the encoder '
                f'provides only {len(self._indices)} pooling index maps'
            )

    def take(self, x: Tensor) -> Tuple[Optional[Tensor], Optional[tuple]]:
        """``(indices, pool input size)`` of the deepest pooling not yet undone.

        For the decoder map ``x`` ``(N, C, h, w)``, which must have the indices' shape.
        """
        if not self._indices:
            return None, None
        idx, size = self._indices.pop(), self._shapes.pop()
        if idx.shape != x.shape:
            raise ValueError(
                f'{self.owner}: decoder input {tuple(x.shape)} does not match the encoder '
                f'pooling indices {tuple(idx.shape)}; set unit_channels to the reversed '
                'encoder stage channels'
            )
        return idx, size
