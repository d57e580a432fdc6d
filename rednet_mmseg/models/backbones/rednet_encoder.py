"""RE-Net: the residual encoder of RED-Net.

Paper: Residual Encoder Decoder Network and Adaptive Prior for Face Parsing (AAAI-18),
section "Residual Encoder Network" and Fig. 3: six units of residual blocks separated by
max-pooling layers; the first five are kept for face parsing, all six (plus a 1024-d feature
layer) are used for identity pretraining (Eq. 3-4).
"""

from typing import Optional, Sequence

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmseg.models.backbones.resnet import BasicBlock
from mmseg.models.utils import ResLayer
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.pooled_features import PooledFeatures


@MODELS.register_module()
class RedNetEncoder(BaseModule):
    """RE-Net (paper Fig. 3).

    Stage ``i`` is RE-Unit ``i`` (a stack of residual blocks) followed by a 2x2 max-pooling that
    returns its indices; units 1-5 are each followed by a pooling layer, unit 6 (identity
    pretraining only) is not. Unit 1 opens with a 3x3 conv from RGB. For a ``(N, 3, H, W)``
    input, stage ``i < 5`` has stride ``2^(i+1)``; the parsing encoder (five units) ends at
    stride 32 and hands all five pooling index maps to the decoder through
    :class:`PooledFeatures`.

    Args:
        arch (str): key of :attr:`arch_settings`. Default: ``'paper'``.
        num_units (int): units built: 5 for parsing, 6 for identity pretraining. Default: 5.
        out_indices (Sequence[int]): stages returned. Default: ``(0, 1, 2, 3, 4)``.
        in_channels (int): input channels. Default: 3.
        base_channels (int, optional): overrides the arch's unit-1 width; every unit's width is
            scaled by the same factor (CPU-sized models). Default: None.
        num_blocks (Sequence[int], optional): overrides the arch's residual blocks per unit
            (one entry per built unit), e.g. ``(2, 2, 2, 2, 1)`` for the paper's depths at the
            tiny widths. Default: None.
        zero_init_residual (bool): start the last BN of every residual block at zero, so that
            each block begins as the identity: blocks added to a trained network (more
            ``num_blocks`` than its checkpoint has) leave its function unchanged at the first
            iteration. The checkpoint's own blocks are loaded over this. Default: False.
        conv_cfg (dict, optional): conv layer config. Default: None.
        norm_cfg (dict): norm layer config. Default: ``dict(type='BN')``.
        norm_eval (bool): keep BN in eval mode while training. Default: False.
        init_cfg (dict | list[dict], optional): initialisation, e.g. ``dict(type='Pretrained',
            checkpoint=...)`` for identity-pretrained weights. Default: Kaiming for convs.

    Example:
        >>> import torch
        >>> from rednet_mmseg.models import RedNetEncoder
        >>> net = RedNetEncoder(base_channels=8).eval()
        >>> feats = net(torch.rand(1, 3, 64, 64))
        >>> for f in feats:
        ...     print(tuple(f.shape))
        (1, 8, 32, 32)
        (1, 16, 16, 16)
        (1, 32, 8, 8)
        (1, 64, 4, 4)
        (1, 64, 2, 2)
        >>> [tuple(i.shape) for i in feats.pool_indices][-1]
        (1, 64, 2, 2)
    """

    #: unit widths (units 1-6) and residual blocks per unit. ``paper`` is sized so that the
    #: full var-a RED-Net (five units + RDHead) has the paper's model size, Table 2: 107.7 MiB
    #: for var a/b and 92.4 MiB for var c/d (paper: 107 and 90 MB). ``tiny`` is for CPUs.
    arch_settings = {
        'paper': dict(
            block=BasicBlock, channels=(64, 128, 256, 512, 512, 512), num_blocks=(2, 2, 2, 2, 1, 1)
        ),
        'tiny': dict(
            block=BasicBlock, channels=(16, 32, 64, 128, 128, 128), num_blocks=(1, 1, 1, 1, 1, 1)
        ),
    }

    def __init__(
        self,
        arch: str = 'paper',
        num_units: int = 5,
        out_indices: Sequence[int] = (0, 1, 2, 3, 4),
        in_channels: int = 3,
        base_channels: Optional[int] = None,
        num_blocks: Optional[Sequence[int]] = None,
        zero_init_residual: bool = False,
        conv_cfg: Optional[dict] = None,
        norm_cfg: dict = dict(type='BN', requires_grad=True),
        norm_eval: bool = False,
        init_cfg=None,
    ):
        if init_cfg is None:
            init_cfg = [
                dict(type='Kaiming', layer='Conv2d'),
                dict(type='Constant', val=1, layer=['_BatchNorm', 'GroupNorm']),
            ]
        super().__init__(init_cfg)
        if arch not in self.arch_settings:
            raise KeyError(
                f'RedNetEncoder: unknown arch {arch!r}; choose one of {sorted(self.arch_settings)}'
            )
        if not 1 <= num_units <= 6:
            raise ValueError(f'RedNetEncoder: num_units must be in 1..6, got {num_units}')
        if not out_indices or max(out_indices) >= num_units or min(out_indices) < 0:
            raise ValueError(
                f'RedNetEncoder: out_indices {tuple(out_indices)} must select '
                f'stages among the {num_units} built units'
            )
        setting = self.arch_settings[arch]
        block = setting['block']
        channels = setting['channels']
        if base_channels is not None:
            channels = tuple(c * base_channels // channels[0] for c in channels)
        if num_blocks is None:
            num_blocks = setting['num_blocks'][:num_units]
        if len(num_blocks) != num_units or min(num_blocks) < 1:
            raise ValueError(
                f'RedNetEncoder: num_blocks {tuple(num_blocks)} must give 1 or more blocks '
                f'for each of the {num_units} units'
            )
        self.zero_init_residual = zero_init_residual
        self.num_units = num_units
        self.out_indices = tuple(out_indices)
        self.norm_eval = norm_eval
        #: output channels of each stage (after the block expansion).
        self.stage_channels = tuple(c * block.expansion for c in channels[:num_units])

        self.stem = ConvModule(
            in_channels, channels[0], 3, padding=1, conv_cfg=conv_cfg, norm_cfg=norm_cfg
        )
        inplanes = channels[0]
        self.units = nn.ModuleList()
        for i in range(num_units):
            self.units.append(
                ResLayer(
                    block,
                    inplanes,
                    channels[i],
                    num_blocks[i],
                    conv_cfg=conv_cfg,
                    norm_cfg=norm_cfg,
                )
            )
            inplanes = channels[i] * block.expansion
        # pools separate the units; the parsing encoder keeps the pool after unit 5
        self.num_pools = min(num_units, 5)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2, return_indices=True)

    def init_weights(self):
        """``init_cfg``, then the residual blocks' last BN at zero (``zero_init_residual``)."""
        super().init_weights()
        if self.zero_init_residual:
            for m in self.modules():
                if isinstance(m, BasicBlock):
                    nn.init.constant_(m.norm2.weight, 0)

    def forward(self, x: Tensor) -> PooledFeatures:
        """Args: x (Tensor): ``(N, C_in, H, W)``.

        Returns:
            PooledFeatures: stage outputs selected by ``out_indices`` (stage ``i``:
            ``(N, stage_channels[i], H/2^(i+1), W/2^(i+1))``, stage 6 unpooled) plus the
            indices and input shapes of every pooling layer.
        """
        return PooledFeatures.collect(
            self.stem(x), self.units, self.pool, self.out_indices, self.num_pools
        )

    def train(self, mode: bool = True):
        """Train mode; with ``norm_eval`` the BatchNorm layers stay in eval mode."""
        super().train(mode)
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, nn.modules.batchnorm._BatchNorm):
                    m.eval()
        return self
