"""The plain deconvolution decoder of DeconvNet (Noh et al. 2015).

"VGG-Deconv" and, on RE-Net, "Res-Deconv" of the RED-Net paper's Table 1.
"""

from typing import Sequence

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.unpool import unpool2x
from .unpooling_head import UnpoolingHead


@MODELS.register_module()
class DeconvHead(UnpoolingHead):
    """Mirror of a VGG encoder: max-unpooling and deconvolutions per level.

    Per level, max-unpooling with the encoder's indices followed by ``n`` 3x3 deconvolution + BN +
    ReLU layers (the last one changes the width), optionally preceded by DeconvNet's centre (fc6 as
    a 7x7 conv, fc7 as a 1x1 conv, deconv-fc6 as a 7x7 deconv, all ``center_channels`` wide; padded
    to keep the size so any input size works).

    Args:
        unit_channels (Sequence[int]): output widths of every level but the last, deep to
            shallow (the last outputs ``channels``). Default: (512, 256, 128, 64).
        convs_per_unit (Sequence[int]): deconv layers per level, deep to shallow.
            Default: (3, 3, 3, 2, 2), the mirror of VGG-16.
        center_channels (int): width of the fc6/fc7 centre; 0 for none. Default: 4096.
        fallback_mode (str): interpolation used without pooling indices. Default: 'bilinear'.
        **kwargs: :class:`BaseDecodeHead` arguments; ``conv_cfg`` defaults to deconvolution.

    Shapes: ``(N, in_channels, h, w)`` -> ``(N, num_classes, h * 2^U, w * 2^U)``.
    """

    def __init__(
        self,
        unit_channels: Sequence[int] = (512, 256, 128, 64),
        convs_per_unit: Sequence[int] = (3, 3, 3, 2, 2),
        center_channels: int = 4096,
        fallback_mode: str = 'bilinear',
        conv_cfg: dict = dict(type='DeconvAsConv2d'),
        norm_cfg: dict = dict(type='BN', requires_grad=True),
        init_cfg=None,
        **kwargs,
    ):
        super().__init__(
            unit_channels, conv_cfg=conv_cfg, norm_cfg=norm_cfg, init_cfg=init_cfg, **kwargs
        )
        if len(convs_per_unit) != len(unit_channels) + 1:
            raise ValueError(
                'DeconvHead: convs_per_unit needs one entry per level '
                f'({len(unit_channels) + 1}), got {tuple(convs_per_unit)}'
            )
        cfg = dict(conv_cfg=self.conv_cfg, norm_cfg=self.norm_cfg, act_cfg=self.act_cfg)
        self.fallback_mode = fallback_mode
        self.center = None
        if center_channels:
            self.center = nn.Sequential(
                ConvModule(
                    self.in_channels,
                    center_channels,
                    7,
                    padding=3,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg,
                ),
                ConvModule(
                    center_channels,
                    center_channels,
                    1,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg,
                ),
                ConvModule(center_channels, self.in_channels, 7, padding=3, **cfg),
            )
        self.units = nn.ModuleList()
        for (cin, cout), n in zip(self.level_channels, convs_per_unit):
            self.units.append(
                nn.Sequential(
                    *[
                        ConvModule(cin, cin if k < n - 1 else cout, 3, padding=1, **cfg)
                        for k in range(n)
                    ]
                )
            )

    def forward(self, inputs) -> Tensor:
        """Encoder features (with indices) -> ``(N, num_classes, H, W)`` logits."""
        x = self._transform_inputs(inputs)
        indices = self.unpool_indices(inputs)
        if self.center is not None:
            x = self.center(x)
        for unit in self.units:
            x = unit(unpool2x(x, *indices.take(x), self.fallback_mode))
        return self.cls_seg(x)
