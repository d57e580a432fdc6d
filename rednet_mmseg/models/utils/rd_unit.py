"""RD-Unit, the building block of RD-Net (paper Fig. 3 and Fig. 6)."""

from collections import OrderedDict
from typing import Optional, Tuple

import torch.nn as nn
from torch import Tensor

from .deconv_bottleneck import DeconvBottleneck
from .unpool import unpool2x

#: Fig. 6 / Table 2: the modules between unpooling and dimension reduction, as
#: ``(name, shortcut)``. Names are the same in every variant, so a var-a checkpoint initialises
#: the matching modules of var c / d ("-ft" rows of Table 2) by name.
VARIANTS = {
    'a': (('densification', None), ('detail', 'identity')),  # Fig. 6-(a), RED-Net
    'b': (('densification', 'identity'), ('detail', 'identity')),  # 6-(b): shortcut added
    'c': (('densification', None),),  # 6-(c): no detail-learning
    'd': (('detail', 'identity'),),  # 6-(d): no densification
}


class RDUnit(nn.Module):
    """Max-unpooling, then the modules of the chosen variant.

    The densification / detail-learning modules of the variant, then the dimension-reduction module.

    Args:
        in_channels (int): channels of the input and of the encoder pooling it reverses.
        out_channels (int): channels after the dimension-reduction module.
        variant (str): ``'a'``, ``'b'``, ``'c'`` or ``'d'`` (paper Fig. 6 / Table 2).
        bottleneck_ratio (float): width of the deconvolution bottlenecks relative to
            ``in_channels`` (``mid = max(round(in_channels * ratio), 8)``).
        conv_cfg, norm_cfg, act_cfg (dict): layer configs, see :class:`DeconvBottleneck`.
        fallback_mode (str): interpolation used when no pooling indices are given (mmseg
            backbones): the input is upsampled 2x (or to ``output_size``) instead.

    Shapes: ``(N, C_in, h, w)`` + indices ``(N, C_in, h, w)`` -> ``(N, C_out, H, W)`` with
    ``(H, W)`` the encoder pooling input size (``2h x 2w`` without indices).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        variant: str = 'a',
        bottleneck_ratio: float = 0.75,
        conv_cfg: Optional[dict] = None,
        norm_cfg: dict = dict(type='BN'),
        act_cfg: dict = dict(type='ReLU'),
        fallback_mode: str = 'bilinear',
    ):
        super().__init__()
        if variant not in VARIANTS:
            raise ValueError(f'unknown RD-Unit variant {variant!r}; choose from {sorted(VARIANTS)}')
        mid = max(round(in_channels * bottleneck_ratio), 8)
        cfg = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.fallback_mode = fallback_mode
        self.body = nn.Sequential(
            OrderedDict(
                (name, DeconvBottleneck(in_channels, in_channels, mid, shortcut=shortcut, **cfg))
                for name, shortcut in VARIANTS[variant]
            )
        )
        self.reduction = DeconvBottleneck(
            in_channels, out_channels, mid, shortcut='projection', **cfg
        )

    def forward(
        self,
        x: Tensor,
        indices: Optional[Tensor] = None,
        output_size: Optional[Tuple[int, int]] = None,
    ) -> Tensor:
        """Unpool ``x`` with ``indices`` and refine it (see the class docstring for shapes)."""
        x = unpool2x(x, indices, output_size, self.fallback_mode)
        return self.reduction(self.body(x))
