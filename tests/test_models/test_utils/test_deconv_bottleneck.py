"""DeconvBottleneck: the three RD-Unit modules' body; act_cfg is honoured after the addition."""

import pytest
import torch

from rednet_mmseg.models import DeconvBottleneck


@pytest.mark.parametrize(
    'shortcut,cin,cout', [(None, 8, 6), ('identity', 8, 8), ('projection', 8, 4)]
)
def test_shapes_and_shortcuts(shortcut, cin, cout):
    m = DeconvBottleneck(cin, cout, 4, shortcut=shortcut, conv_cfg=dict(type='deconv')).eval()
    assert m(torch.rand(2, cin, 5, 7)).shape == (2, cout, 5, 7)
    assert (m.projection is not None) == (shortcut == 'projection')


def test_identity_shortcut_adds_the_input():
    m = DeconvBottleneck(4, 4, 2, shortcut='identity', act_cfg=None).eval()
    x = torch.randn(1, 4, 3, 3)
    with torch.no_grad():
        body = m.expand(m.conv(m.reduce(x)))
        torch.testing.assert_close(m(x), x + body)  # no activation after the sum


def test_act_cfg_after_the_addition():
    """LeakyReLU after the sum lets negative outputs through; the default ReLU does not."""
    x = -torch.rand(1, 4, 6, 6) - 1  # a negative input dominates the sum
    leaky = DeconvBottleneck(
        4, 4, 2, shortcut='identity', act_cfg=dict(type='LeakyReLU', negative_slope=0.1)
    ).eval()
    relu = DeconvBottleneck(4, 4, 2, shortcut='identity').eval()
    with torch.no_grad():
        assert (leaky(x) < 0).any() and (relu(x) >= 0).all()


def test_bad_arguments():
    with pytest.raises(ValueError, match='shortcut must be'):
        DeconvBottleneck(4, 4, 2, shortcut='sum')
    with pytest.raises(ValueError, match='identity shortcut needs in_channels == out'):
        DeconvBottleneck(4, 8, 2, shortcut='identity')
