import pytest
import torch
import torch.nn as nn

from rednet_mmseg.models import DeconvBottleneck, RDUnit
from rednet_mmseg.models.utils.rd_unit import VARIANTS
from rednet_mmseg.models.utils.unpool import unpool2x


def test_unpool_round_trip_restores_maxima_positions():
    x = torch.rand(2, 4, 8, 10)
    pooled, idx = nn.MaxPool2d(2, 2, return_indices=True)(x)
    up = unpool2x(pooled, idx, (8, 10))
    # each pooled max lands exactly where it came from, everything else is zero
    assert torch.equal(up.flatten(2).gather(2, idx.flatten(2)), pooled.flatten(2))
    assert int((up != 0).sum()) == pooled.numel()
    assert torch.equal(up, torch.where(up != 0, x, torch.zeros_like(x)))


def test_unpool_odd_size():
    x = torch.rand(1, 2, 7, 9)
    pooled, idx = nn.MaxPool2d(2, 2, return_indices=True)(x)
    out = RDUnit(2, 3)(pooled, idx, (7, 9))
    assert out.shape == (1, 3, 7, 9)


def test_fallback_upsamples_without_indices():
    unit = RDUnit(8, 4).eval()
    assert unit(torch.rand(1, 8, 5, 6)).shape == (1, 4, 10, 12)
    assert unit(torch.rand(1, 8, 5, 6), output_size=(11, 13)).shape == (1, 4, 11, 13)


@pytest.mark.parametrize('variant', sorted(VARIANTS))
def test_variant_module_structure(variant):
    unit = RDUnit(16, 8, variant=variant)
    modules = [(name, m.shortcut_type) for name, m in unit.body.named_children()]
    expected = dict(
        a=[('densification', None), ('detail', 'identity')],
        b=[('densification', 'identity'), ('detail', 'identity')],
        c=[('densification', None)],
        d=[('detail', 'identity')],
    )[variant]
    assert modules == expected
    assert unit.reduction.shortcut_type == 'projection'


def test_deconv_bottleneck_identity_and_projection():
    x = torch.rand(1, 8, 6, 6)
    blk = DeconvBottleneck(8, 8, 4, shortcut='identity', conv_cfg=dict(type='deconv'))
    assert isinstance(blk.conv.conv, nn.ConvTranspose2d)
    assert blk(x).shape == x.shape
    proj = DeconvBottleneck(8, 3, 4, shortcut='projection')
    assert proj(x).shape == (1, 3, 6, 6) and proj.projection.conv.kernel_size == (1, 1)
    with pytest.raises(ValueError):
        DeconvBottleneck(8, 4, 4, shortcut='identity')
