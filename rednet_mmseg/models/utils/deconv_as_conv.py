"""The paper's stride-1 deconvolution computed as the convolution it equals (faster on CPU).

A ``ConvTranspose2d`` with stride 1, no dilation and no output padding is a ``Conv2d`` with
the kernel flipped in space, its in/out axes swapped (per group) and padding ``k - 1 - p``. On
CPU, PyTorch 2.x runs ``conv_transpose2d`` several times slower than ``conv2d`` (oneDNN): the
RD-Net of the tiny shipped model spent 62 of its 126 ms per face in it. :class:`DeconvAsConv2d`
keeps the layer a ``ConvTranspose2d`` (same parameters, state-dict keys, initialisation and
BN folding) and only computes it the fast way; other strides fall back to the transpose.
"""

import torch
import torch.nn.functional as F
from mmcv.cnn.bricks.wrappers import ConvTranspose2d
from mmengine.registry import MODELS
from torch import Tensor


def deconv_weight_as_conv(weight: Tensor, groups: int = 1) -> Tensor:
    """``ConvTranspose2d`` weight -> the ``Conv2d`` weight of the same stride-1 map.

    ``(C_in, C_out/g, kh, kw)`` -> ``(C_out, C_in/g, kh, kw)``, flipped in space.

    Examples:
        >>> import torch
        >>> w = torch.randn(4, 3, 3, 3)
        >>> deconv_weight_as_conv(w).shape
        torch.Size([3, 4, 3, 3])
    """
    c_in, c_out_g, kh, kw = weight.shape
    w = weight.reshape(groups, c_in // groups, c_out_g, kh, kw).transpose(1, 2)
    return w.reshape(groups * c_out_g, c_in // groups, kh, kw).flip(-2, -1)


def _tracing() -> bool:
    """Whether a graph is being captured (then the weight must be computed, not cached)."""
    exporting = getattr(torch.compiler, 'is_exporting', lambda: False)
    return (
        torch.jit.is_tracing()
        or torch.jit.is_scripting()
        or torch.compiler.is_compiling()
        or exporting()
    )


# registered in mmengine's root registry (like mmcv's own 'deconv'), so that mmcv's
# build_conv_layer finds it from any scope; a new name, so no other model changes
@MODELS.register_module()
class DeconvAsConv2d(ConvTranspose2d):
    """``conv_cfg=dict(type='DeconvAsConv2d')``: mmcv's ``'deconv'``, computed as a ``Conv2d``.

    Shapes: ``(N, C_in, H, W) -> (N, C_out, H', W')`` exactly as ``nn.ConvTranspose2d``.
    """

    def forward(self, x: Tensor, output_size=None) -> Tensor:
        """The transpose convolution; by ``F.conv2d`` where it is a plain convolution."""
        if (
            output_size is not None
            or x.numel() == 0
            or self.padding_mode != 'zeros'
            or any(s != 1 for s in self.stride)
            or any(d != 1 for d in self.dilation)
            or any(p != 0 for p in self.output_padding)
            or any(p > k - 1 for p, k in zip(self.padding, self.kernel_size))
        ):
            return super().forward(x) if output_size is None else super().forward(x, output_size)
        pad = tuple(k - 1 - p for k, p in zip(self.kernel_size, self.padding))
        return F.conv2d(x, self.conv_weight(), self.bias, 1, pad, 1, self.groups)

    def conv_weight(self) -> Tensor:
        """The equivalent ``Conv2d`` weight, in the memory format of ``self.weight``.

        Recomputed (with autograd) whenever gradients flow to the weight, and inside graph
        capture (TorchScript, torch.compile / export, ONNX); otherwise (inference) cached until
        the weight changes: another tensor, device or dtype, or an in-place update
        (``load_state_dict``, an optimiser step, BN folding), which bumps the tensor's version.
        Rebuilding it cost 3 of the shipped model's 30 ms per face.
        """
        w = self.weight
        if (w.requires_grad and torch.is_grad_enabled()) or _tracing():
            return deconv_weight_as_conv(w, self.groups)
        try:
            key = (w.data_ptr(), w._version, w.dtype, w.device, torch.is_inference_mode_enabled())
        except RuntimeError:  # a tensor without storage (fake tensors of an export)
            return deconv_weight_as_conv(w, self.groups)
        if getattr(self, '_conv_weight_key', None) != key:
            fmt = (
                torch.channels_last
                if w.dim() == 4 and w.is_contiguous(memory_format=torch.channels_last)
                else torch.contiguous_format
            )
            src = w.detach()  # shares storage and version counter with the weight
            conv = deconv_weight_as_conv(src, self.groups).contiguous(memory_format=fmt)
            # holding the source keeps its storage alive, so a new weight never reuses its
            # address (a stale key could otherwise match)
            self._conv_weight, self._conv_weight_key, self._conv_weight_src = conv, key, src
        return self._conv_weight


__all__ = ['DeconvAsConv2d', 'deconv_weight_as_conv']
