"""Fold inference BatchNorm into the preceding (transposed) convolution.

mmcv 2.1's ``fuse_conv_bn`` folds only into ``nn.Conv2d`` and pairs children by registration
order; RED-Net's RD-Units are stride-1 ``ConvTranspose2d`` + BN, whose weight is laid out
``in x out x k x k``, so the BN scale belongs on axis 1. Here every pair is taken from the
structure that defines it (mmcv ``ConvModule`` with order conv -> norm, ResNet blocks'
``convK`` / ``normK``, ``Sequential(conv, bn)`` shortcuts), the BN becomes ``nn.Identity``, and
outputs are unchanged up to fp32 rounding (``tests/test_deployment/test_fuse_conv_bn.py``).
"""

from typing import Tuple

import torch
from mmcv.cnn import ConvModule
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

_CONVS = (nn.Conv2d, nn.ConvTranspose2d)


@torch.no_grad()
def fold_bn_into_conv(conv: nn.Module, bn: _BatchNorm) -> None:
    """Fold ``bn`` into ``conv`` for inference: ``bn(conv(x)) == conv'(x)``.

    Each output channel's kernel is scaled and its bias shifted. Output channels are axis 0 of a
    ``Conv2d`` weight (``out x in/g x k x k``) and axis 1 of a ``ConvTranspose2d`` weight (``in x
    out/g x k x k``, per group).
    """
    scale = torch.rsqrt(bn.running_var + bn.eps)
    if bn.affine:
        scale = scale * bn.weight
    shift = -bn.running_mean * scale + (bn.bias if bn.affine else 0)
    w = conv.weight
    if isinstance(conv, nn.ConvTranspose2d):
        g = conv.groups
        cin, cout_g = w.shape[0], w.shape[1]
        w.view(g, cin // g, cout_g, *w.shape[2:]).mul_(scale.view(g, 1, cout_g, 1, 1))
    else:
        w.mul_(scale.view(-1, 1, 1, 1))
    bias = conv.bias if conv.bias is not None else torch.zeros_like(scale)
    conv.bias = nn.Parameter(bias * scale + shift)


def _pairs(module: nn.Module):
    """``(parent, conv, norm attribute name)`` of the conv -> BN pairs that ``module`` owns."""
    if isinstance(module, ConvModule):
        if module.with_norm and module.order.index('conv') < module.order.index('norm'):
            yield module, module.conv, module.norm_name
        return
    for k in (1, 2, 3):  # mmseg / mmcv ResNet BasicBlock and Bottleneck
        conv, name = getattr(module, f'conv{k}', None), getattr(module, f'norm{k}_name', None)
        if isinstance(conv, _CONVS) and name is not None:
            yield module, conv, name
    if isinstance(module, nn.Sequential):  # e.g. a ResNet shortcut: Sequential(conv, bn)
        children = list(module.named_children())
        for (_, a), (name, b) in zip(children, children[1:]):
            if isinstance(a, _CONVS) and isinstance(b, _BatchNorm):
                yield module, a, name


def fuse_conv_bn(model: nn.Module) -> Tuple[nn.Module, int]:
    """Fold every conv -> BN pair of ``model`` in place.

    Call it in eval mode, after the weights are loaded. Returns ``(model, number of BN layers
    folded)``.
    """
    todo = [p for m in list(model.modules()) for p in _pairs(m)]
    count = 0
    for parent, conv, name in todo:
        bn = getattr(parent, name)
        if not isinstance(bn, _BatchNorm) or bn.training:
            continue
        fold_bn_into_conv(conv, bn)
        setattr(parent, name, nn.Identity())
        count += 1
    return model, count


def count_batchnorms(model: nn.Module) -> int:
    """Number of BatchNorm layers in ``model``."""
    return sum(isinstance(m, _BatchNorm) for m in model.modules())
