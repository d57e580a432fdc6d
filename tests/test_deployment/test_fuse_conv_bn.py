"""BN folded into RED-Net's convolutions and stride-1 deconvolutions.

Same outputs (to fp32 rounding, measured against an fp64 reference), no BatchNorm left.
"""

import copy

import pytest
import torch
from mmengine.config import Config
from mmseg.registry import MODELS
from torch import nn

from rednet_mmseg.deployment.fuse_conv_bn import (
    count_batchnorms,
    fold_bn_into_conv,
    fuse_conv_bn,
)

CONFIGS = [
    'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py',
    'configs/resdeconv/resdeconv_re5-deconv5_8xb8-8k_helen-224x224.py',
]


def _random_bn(model):
    torch.manual_seed(0)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.kaiming_normal_(m.weight, nonlinearity='relu')
        elif isinstance(m, nn.BatchNorm2d):  # statistics that are not the identity
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    return model.eval()


def _logits(model, x):
    with torch.no_grad():
        return model.decode_head(model.extract_feat(x))


@pytest.mark.parametrize('transposed', [False, True])
@pytest.mark.parametrize('groups', [1, 2])
def test_fold_one_pair(transposed, groups):
    conv = (nn.ConvTranspose2d if transposed else nn.Conv2d)(4, 6, 3, padding=1, groups=groups)
    bn = _random_bn(nn.BatchNorm2d(6))
    x = torch.randn(2, 4, 5, 5, dtype=torch.float64)
    conv, bn = conv.double(), bn.double()
    expected = bn(conv(x))
    fold_bn_into_conv(conv, bn)
    torch.testing.assert_close(conv(x), expected, rtol=1e-12, atol=1e-12)  # exact in fp64


@pytest.mark.parametrize('config', CONFIGS)
def test_fused_model_gives_the_same_outputs(repo_root, config):
    cfg = Config.fromfile(f'{repo_root}/{config}')
    if 'resdeconv' in config:  # a CPU-sized Res-Deconv: RE-Net tiny + DeconvHead
        cfg.model.backbone.arch = 'tiny'
        cfg.model.decode_head.update(
            in_channels=128, channels=16, unit_channels=(128, 64, 32, 16), center_channels=32
        )
    model = _random_bn(MODELS.build(cfg.model))
    fused, count = fuse_conv_bn(copy.deepcopy(model))
    assert count == count_batchnorms(model) > 0 and count_batchnorms(fused) == 0
    x = torch.rand(2, 3, 64, 48)
    exact = _logits(copy.deepcopy(model).double(), x.double())
    err_plain = float((_logits(model, x).double() - exact).abs().max())
    err_fused = float((_logits(fused, x).double() - exact).abs().max())
    # two fp32 evaluations of the same function: the fused one may be no further from the
    # exact result than the unfused one's own rounding, within a small factor
    assert err_fused <= 8 * err_plain, (err_fused, err_plain)
    assert float(exact.abs().max()) > 0.1  # a meaningful comparison (not ~0 logits)


def test_cli_reports_folding(repo_root, tmp_path):
    import subprocess
    import sys

    cfg = Config.fromfile(f'{repo_root}/{CONFIGS[0]}')
    model = _random_bn(MODELS.build(cfg.model))
    ckpt = tmp_path / 'tiny.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), ckpt)
    res = subprocess.run(
        [
            sys.executable,
            'tools/deployment/fuse_conv_bn.py',
            CONFIGS[0],
            str(ckpt),
            '--shape',
            '64',
            '48',
            '--runs',
            '2',
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert f'folded {count_batchnorms(model)} BatchNorm layers (0 left)' in res.stdout
    assert 'ms folded' in res.stdout
