"""The deconvolution bottleneck (paper "Residual Decoder Network", Fig. 3 and Fig. 6 "D.B.")."""

from typing import Optional

import torch.nn as nn
from mmcv.cnn import ConvModule, build_activation_layer
from torch import Tensor


class DeconvBottleneck(nn.Module):
    """1x1 -> 3x3 -> 1x1 (de)convolutions, each with a norm and an activation.

    BN and ReLU by default, with an optional shortcut. It is the body of all three RD-Unit modules:

    - densification module: ``shortcut=None``;
    - detail-learning module: ``shortcut='identity'`` (output ``x + F(x)``);
    - dimension-reduction module: ``shortcut='projection'`` (a 1x1 deconvolution + BN maps the
      input to ``out_channels``; output ``proj(x) + F(x)``).

    With a shortcut, the last layer's activation is applied after the addition, as in ResNet.

    Args:
        in_channels (int): input channels ``C_in``.
        out_channels (int): output channels ``C_out`` (must equal ``C_in`` for identity).
        mid_channels (int): width of the bottleneck.
        shortcut (str, optional): ``None``, ``'identity'`` or ``'projection'``.
        conv_cfg (dict, optional): layer type; ``dict(type='DeconvAsConv2d')`` (or mmcv's
            ``'deconv'``) is the paper's stride-1 deconvolution, ``None`` a convolution (the
            same function class).
        norm_cfg (dict): norm layer config.
        act_cfg (dict): activation config.

    Shapes: ``(N, C_in, H, W) -> (N, C_out, H, W)``.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        mid_channels: int,
        shortcut: Optional[str] = None,
        conv_cfg: Optional[dict] = None,
        norm_cfg: dict = dict(type='BN'),
        act_cfg: dict = dict(type='ReLU'),
    ):
        super().__init__()
        if shortcut not in (None, 'identity', 'projection'):
            raise ValueError(f'shortcut must be None, "identity" or "projection", got {shortcut!r}')
        if shortcut == 'identity' and in_channels != out_channels:
            raise ValueError(
                f'an identity shortcut needs in_channels == out_channels, got '
                f'{in_channels} and {out_channels}'
            )
        common = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg)
        self.shortcut_type = shortcut
        self.reduce = ConvModule(in_channels, mid_channels, 1, act_cfg=act_cfg, **common)
        self.conv = ConvModule(mid_channels, mid_channels, 3, padding=1, act_cfg=act_cfg, **common)
        self.expand = ConvModule(
            mid_channels, out_channels, 1, act_cfg=act_cfg if shortcut is None else None, **common
        )
        self.projection = (
            ConvModule(in_channels, out_channels, 1, act_cfg=None, **common)
            if shortcut == 'projection'
            else None
        )
        self.act = nn.Identity()  # after the addition (act_cfg=None: none)
        if shortcut is not None and act_cfg:
            act_cfg = dict(act_cfg)
            if act_cfg['type'] == 'ReLU':
                act_cfg.setdefault('inplace', True)  # as ConvModule does
            self.act = build_activation_layer(act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        """``(N, C_in, H, W)`` -> ``(N, C_out, H, W)``."""
        out = self.expand(self.conv(self.reduce(x)))
        if self.shortcut_type is None:
            return out
        identity = x if self.projection is None else self.projection(x)
        return self.act(out + identity)
