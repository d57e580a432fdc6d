"""RD-Unit, the building block of RD-Net (paper Fig. 3 and Fig. 6)."""
from typing import Optional, Tuple

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from .deconv_bottleneck import DeconvBottleneck

#: Fig. 6 / Table 2: module sequence after unpooling for each decoder variant.
#: ``dense`` = densification (no shortcut), ``detail`` = detail-learning (identity shortcut);
#: every variant ends with the dimension-reduction module (projection shortcut).
VARIANTS = {
    'a': ('dense', 'detail'),   # Fig. 6-(a), the paper's RED-Net
    'b': ('detail', 'detail'),  # Fig. 6-(b): the densification module also gets a shortcut
    'c': ('dense', ),           # Fig. 6-(c): detail-learning modules removed
    'd': ('detail', ),          # Fig. 6-(d): densification modules removed
}


class RDUnit(nn.Module):
    """Max-unpooling, then the densification / detail-learning modules of the chosen variant,
    then the dimension-reduction module.

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

    def __init__(self, in_channels: int, out_channels: int, variant: str = 'a',
                 bottleneck_ratio: float = 0.75, conv_cfg: dict = None,
                 norm_cfg: dict = dict(type='BN'), act_cfg: dict = dict(type='ReLU'),
                 fallback_mode: str = 'bilinear'):
        super().__init__()
        if variant not in VARIANTS:
            raise ValueError(f'unknown RD-Unit variant {variant!r}; choose from '
                             f'{sorted(VARIANTS)}')
        mid = max(round(in_channels * bottleneck_ratio), 8)
        cfg = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.fallback_mode = fallback_mode
        self.modules_seq = nn.Sequential(*[
            DeconvBottleneck(in_channels, in_channels, mid,
                             shortcut=None if kind == 'dense' else 'identity', **cfg)
            for kind in VARIANTS[variant]
        ])
        self.reduction = DeconvBottleneck(in_channels, out_channels, mid,
                                          shortcut='projection', **cfg)

    def unpool(self, x: Tensor, indices: Optional[Tensor],
               output_size: Optional[Tuple[int, int]]) -> Tensor:
        """Max-unpooling with the encoder's indices, or the documented fallback."""
        if indices is not None:
            return F.max_unpool2d(x, indices, kernel_size=2, stride=2,
                                  output_size=output_size)
        size = output_size or (x.shape[-2] * 2, x.shape[-1] * 2)
        align = False if self.fallback_mode in ('bilinear', 'bicubic') else None
        return F.interpolate(x, size=size, mode=self.fallback_mode, align_corners=align)

    def forward(self, x: Tensor, indices: Optional[Tensor] = None,
                output_size: Optional[Tuple[int, int]] = None) -> Tensor:
        x = self.unpool(x, indices, output_size)
        return self.reduction(self.modules_seq(x))
