"""Max-unpooling with encoder indices, or the documented upsampling fallback."""

from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor


def _scatter_needed() -> bool:
    """Deterministic mode or graph export: ``max_unpool2d`` is refused by both.

    torch 2.14 flags ``max_unpooling2d_forward_out`` as non-deterministic (so
    ``randomness=dict(deterministic=True)`` crashes), and ONNX exporters have rejected or
    mis-shaped ``MaxUnpool2d`` in several versions. A 2x2 / stride-2 pooling gives every window
    one distinct index, so a plain scatter computes the identical result deterministically and
    exports as ``ScatterElements``; it is about 2x slower on CPU, hence not the default.
    """
    return (
        torch.are_deterministic_algorithms_enabled()
        or torch.onnx.is_in_onnx_export()
        or torch.compiler.is_exporting()
        or torch.jit.is_tracing()
    )


def scatter_unpool(x: Tensor, indices: Tensor, output_size: Tuple[int, int]) -> Tensor:
    """``F.max_unpool2d`` as a scatter: ``(N, C, h, w) -> (N, C, H, W)``."""
    n, c = x.shape[:2]
    out = x.new_zeros(n, c, output_size[0] * output_size[1])
    out = out.scatter(2, indices.reshape(n, c, -1), x.reshape(n, c, -1))
    return out.reshape(n, c, output_size[0], output_size[1])


def unpool2x(
    x: Tensor,
    indices: Optional[Tensor],
    output_size: Optional[Tuple[int, int]],
    fallback_mode: str = 'bilinear',
) -> Tensor:
    """Reverse a 2x2 / stride-2 max-pooling.

    With ``indices`` (``(N, C, h, w)``, from ``MaxPool2d(return_indices=True)``) every value
    returns to the position of its maximum and the rest is zero (paper "UP"). Without them
    (backbones that do not pool with indices) ``x`` is interpolated by ``fallback_mode``.
    Under ``torch.use_deterministic_algorithms(True)`` and during ONNX / torch.export export
    the same result is computed by :func:`scatter_unpool`.

    Shapes: ``(N, C, h, w) -> (N, C, H, W)``, ``(H, W) = output_size`` or ``(2h, 2w)``.
    """
    if indices is not None:
        if _scatter_needed():
            size = output_size or (x.shape[-2] * 2, x.shape[-1] * 2)
            return scatter_unpool(x, indices, tuple(size[-2:]))
        return F.max_unpool2d(x, indices, kernel_size=2, stride=2, output_size=output_size)
    size = output_size or (x.shape[-2] * 2, x.shape[-1] * 2)
    align = False if fallback_mode in ('bilinear', 'bicubic') else None
    return F.interpolate(x, size=size, mode=fallback_mode, align_corners=align)
