"""Max-unpooling with encoder indices, or the documented upsampling fallback."""
from typing import Optional, Tuple

import torch.nn.functional as F
from torch import Tensor


def unpool2x(x: Tensor, indices: Optional[Tensor], output_size: Optional[Tuple[int, int]],
             fallback_mode: str = 'bilinear') -> Tensor:
    """Reverse a 2x2 / stride-2 max-pooling.

    With ``indices`` (``(N, C, h, w)``, from ``MaxPool2d(return_indices=True)``) every value
    returns to the position of its maximum and the rest is zero (paper "UP"). Without them
    (backbones that do not pool with indices) ``x`` is interpolated by ``fallback_mode``.

    Shapes: ``(N, C, h, w) -> (N, C, H, W)``, ``(H, W) = output_size`` or ``(2h, 2w)``.
    """
    if indices is not None:
        return F.max_unpool2d(x, indices, kernel_size=2, stride=2, output_size=output_size)
    size = output_size or (x.shape[-2] * 2, x.shape[-1] * 2)
    align = False if fallback_mode in ('bilinear', 'bicubic') else None
    return F.interpolate(x, size=size, mode=fallback_mode, align_corners=align)
