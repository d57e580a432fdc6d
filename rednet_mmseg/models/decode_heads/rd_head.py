"""RD-Net: the residual decoder of RED-Net (paper "Residual Decoder Network", Fig. 3, 6)."""

from typing import Sequence

import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.rd_unit import RDUnit
from .unpooling_head import UnpoolingHead


@MODELS.register_module()
class RDHead(UnpoolingHead):
    """A stack of RD-Units that restores the encoder's deepest feature map to full resolution.

    RD-Unit ``k`` unpools with the indices of the ``k``-th pooling layer counted from the deep
    end of the encoder, so with RE-Net (:class:`RedNetEncoder`) every unpooling puts each
    activation back exactly where its max came from. The input must then be the encoder's last
    pooled stage (``in_index=-1``).

    **Fallback without indices.** With a backbone that returns a plain tuple (ResNetV1c,
    MobileNetV2, ... or RE-Net behind a neck) each RD-Unit upsamples its input 2x by
    ``fallback_mode`` interpolation instead of unpooling; the rest of the unit is unchanged.
    The logits are resized to the label / image size by ``BaseDecodeHead`` as for any mmseg head,
    so choose ``len(unit_channels) + 1`` units to match the backbone's output stride.

    Args:
        unit_channels (Sequence[int]): output channels of every RD-Unit but the last, deep to
            shallow; the last unit outputs ``channels``. With indices, unit ``k``'s input
            channels must equal the channels of the encoder pooling it reverses, i.e.
            ``unit_channels = reversed(encoder stage channels[:-1])``.
            Default: ``(512, 256, 128, 64)``.
        variant (str): RD-Unit structure of Fig. 6 / Table 2: ``'a'`` (densification +
            detail-learning + dimension-reduction, the paper's model), ``'b'``, ``'c'``
            (no detail-learning), ``'d'`` (no densification). Default: ``'a'``.
        bottleneck_ratio (float): bottleneck width of the deconvolution bottlenecks relative
            to each RD-Unit's input channels. Default: 0.75.
        fallback_mode (str): interpolation of the no-indices fallback. Default: 'bilinear'.
        **kwargs: :class:`BaseDecodeHead` arguments (``in_channels``, ``channels``,
            ``num_classes``, ``conv_cfg`` (default ``dict(type='DeconvAsConv2d')``, the
            paper's stride-1 deconvolutions), ``norm_cfg`` (default BN: the paper follows every
            conv/deconv with BN and ReLU), ``loss_decode``, ...).

    Shapes: input ``inputs[in_index]`` ``(N, in_channels, h, w)`` -> logits
    ``(N, num_classes, h * 2^U, w * 2^U)`` with ``U = len(unit_channels) + 1`` (the encoder's
    pooling input size with indices).

    Example:
        >>> import torch
        >>> from rednet_mmseg.models import RDHead, RedNetEncoder
        >>> enc = RedNetEncoder(base_channels=8).eval()
        >>> head = RDHead(in_channels=64, channels=8, unit_channels=(64, 32, 16, 8),
        ...               num_classes=11).eval()
        >>> tuple(head(enc(torch.rand(1, 3, 64, 64))).shape)
        (1, 11, 64, 64)
    """

    def __init__(
        self,
        unit_channels: Sequence[int] = (512, 256, 128, 64),
        variant: str = 'a',
        bottleneck_ratio: float = 0.75,
        fallback_mode: str = 'bilinear',
        conv_cfg: dict = dict(type='DeconvAsConv2d'),
        norm_cfg: dict = dict(type='BN', requires_grad=True),
        init_cfg=None,
        **kwargs,
    ):
        super().__init__(
            unit_channels, conv_cfg=conv_cfg, norm_cfg=norm_cfg, init_cfg=init_cfg, **kwargs
        )
        if self.input_transform is not None:
            raise ValueError('RDHead takes one feature map (input_transform=None)')
        self.units = nn.ModuleList(
            RDUnit(
                i,
                o,
                variant=variant,
                bottleneck_ratio=bottleneck_ratio,
                conv_cfg=self.conv_cfg,
                norm_cfg=self.norm_cfg,
                act_cfg=self.act_cfg,
                fallback_mode=fallback_mode,
            )
            for i, o in self.level_channels
        )

    def forward(self, inputs) -> Tensor:
        """Args: inputs (tuple[Tensor] | PooledFeatures): backbone outputs.

        Returns: Tensor: logits ``(N, num_classes, H, W)``.
        """
        x = self._transform_inputs(inputs)
        indices = self.unpool_indices(inputs)
        for unit in self.units:
            x = unit(x, *indices.take(x))
        return self.cls_seg(x)
