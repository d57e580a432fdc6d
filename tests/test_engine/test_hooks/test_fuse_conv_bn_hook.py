"""FuseConvBNHook folds the (possibly wrapped) model's BatchNorm before testing."""

import types

import torch
from mmcv.cnn import ConvModule
from torch import nn

from rednet_mmseg.deployment.fuse_conv_bn import count_batchnorms
from rednet_mmseg.engine.hooks import FuseConvBNHook


def test_folds_before_test_with_the_same_outputs():
    torch.manual_seed(0)
    model = nn.Sequential(
        ConvModule(3, 4, 3, padding=1, norm_cfg=dict(type='BN')),
        ConvModule(4, 2, 3, padding=1, conv_cfg=dict(type='deconv'), norm_cfg=dict(type='BN')),
    )
    model.train()
    model(torch.randn(4, 3, 8, 8))  # running statistics that are not the identity
    model.eval()
    x = torch.randn(1, 3, 8, 8)
    with torch.no_grad():
        before = model(x)
    runner = types.SimpleNamespace(model=model)
    FuseConvBNHook().before_test(runner)
    assert count_batchnorms(model) == 0
    with torch.no_grad():
        # two layers of <= 36-term fp32 sums: rounding bound about 2 * 36 * 2**-24 = 4e-6
        torch.testing.assert_close(model(x), before, rtol=1e-5, atol=1e-5 * before.abs().max())
