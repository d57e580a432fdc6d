"""VGG-16 encoder with pooling indices, the encoder of DeconvNet.

DeconvNet: Noh, Hong and Han, ICCV 2015, which the RED-Net paper reproduces as "VGG-Deconv" (Table
1).
"""

from typing import Sequence

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.pooled_features import PooledFeatures


@MODELS.register_module()
class VGGEncoder(BaseModule):
    """VGG conv blocks, each followed by a 2x2 max-pooling that returns its indices.

    Blocks of 3x3 conv + BN + ReLU, as in DeconvNet; no fully connected layers (DeconvNet's fc6/fc7
    live in :class:`DeconvHead` as its centre). Outputs and indices as :class:`RedNetEncoder`.

    Args:
        depth (int): 11, 13 or 16. Default: 16.
        out_indices (Sequence[int]): blocks returned (after pooling). Default: (0, 1, 2, 3, 4).
        in_channels (int): Default: 3. base_channels (int): width of block 1; the others
            scale with it (64 -> 64, 128, 256, 512, 512). Default: 64.
        norm_cfg (dict): Default: BN. init_cfg: Default: Kaiming.

    Shapes: ``(N, 3, H, W)`` -> block ``i``: ``(N, C_i, H/2^(i+1), W/2^(i+1))``.
    """

    arch_settings = {11: (1, 1, 2, 2, 2), 13: (2, 2, 2, 2, 2), 16: (2, 2, 3, 3, 3)}

    def __init__(
        self,
        depth: int = 16,
        out_indices: Sequence[int] = (0, 1, 2, 3, 4),
        in_channels: int = 3,
        base_channels: int = 64,
        norm_cfg: dict = dict(type='BN', requires_grad=True),
        init_cfg=None,
    ):
        if init_cfg is None:
            init_cfg = [
                dict(type='Kaiming', layer='Conv2d'),
                dict(type='Constant', val=1, layer=['_BatchNorm']),
            ]
        super().__init__(init_cfg)
        if depth not in self.arch_settings:
            raise KeyError(f'VGGEncoder: depth must be one of {sorted(self.arch_settings)}')
        widths = [base_channels * m for m in (1, 2, 4, 8, 8)]
        self.out_indices = tuple(out_indices)
        self.stage_channels = tuple(widths)
        self.blocks = nn.ModuleList()
        cin = in_channels
        for width, n in zip(widths, self.arch_settings[depth]):
            layers = []
            for _ in range(n):
                layers.append(ConvModule(cin, width, 3, padding=1, norm_cfg=norm_cfg))
                cin = width
            self.blocks.append(nn.Sequential(*layers))
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2, return_indices=True)

    def forward(self, x: Tensor) -> PooledFeatures:
        """``(N, 3, H, W)`` -> :class:`PooledFeatures` of the ``out_indices`` blocks."""
        return PooledFeatures.collect(x, self.blocks, self.pool, self.out_indices)
