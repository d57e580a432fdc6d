"""What RDHead and DeconvHead share: levels that undo the encoder's poolings deep to shallow."""

from typing import List, Sequence, Tuple

from mmseg.models.decode_heads.decode_head import BaseDecodeHead

from ..utils.pooled_features import UnpoolIndices


class UnpoolingHead(BaseDecodeHead):
    """Base of the index-unpooling decoders (not registered: subclasses build the levels).

    Level ``k`` maps ``level_channels[k]`` = ``(in, out)`` channels, deep to shallow: the head's
    ``in_channels``, then ``unit_channels``, then ``channels`` (before ``cls_seg``). Defaults of
    the paper: stride-1 deconvolutions (``conv_cfg=dict(type='DeconvAsConv2d')``: mmcv's
    ``'deconv'`` computed as the convolution it equals, faster on CPU), BN + ReLU after every
    layer, weights ~ N(0, 0.01).

    Args:
        unit_channels (Sequence[int]): output widths of every level but the last, deep to
            shallow.
        **kwargs: :class:`BaseDecodeHead` arguments.
    """

    def __init__(
        self,
        unit_channels: Sequence[int],
        conv_cfg: dict = dict(type='DeconvAsConv2d'),
        norm_cfg: dict = dict(type='BN', requires_grad=True),
        init_cfg=None,
        **kwargs,
    ):
        if init_cfg is None:  # paper: decoder weights ~ N(0, 0.01)
            init_cfg = [
                dict(type='Normal', std=0.01, layer=['Conv2d', 'ConvTranspose2d']),
                dict(type='Constant', val=1, layer=['_BatchNorm']),
            ]
        super().__init__(conv_cfg=conv_cfg, norm_cfg=norm_cfg, init_cfg=init_cfg, **kwargs)
        self.level_channels: List[Tuple[int, int]] = list(
            zip((self.in_channels, *unit_channels), (*unit_channels, self.channels))
        )

    def unpool_indices(self, inputs) -> UnpoolIndices:
        """The encoder's indices for this head's levels, deep to shallow (checked)."""
        return UnpoolIndices(inputs, len(self.level_channels), type(self).__name__)
