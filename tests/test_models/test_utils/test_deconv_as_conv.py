"""DeconvAsConv2d: mmcv's stride-1 deconvolution computed as a convolution, same map."""

import pytest
import torch
import torch.nn as nn
from mmcv.cnn import build_conv_layer
from mmengine.registry import init_default_scope

from rednet_mmseg.models.utils import DeconvAsConv2d


@pytest.mark.parametrize(
    'cin,cout,k,pad,groups',
    [(16, 16, 3, 1, 1), (8, 12, 1, 0, 1), (8, 12, 3, 1, 2), (6, 6, 7, 3, 3), (4, 5, 3, 0, 1)],
)
def test_same_map_and_gradients_as_conv_transpose(cin, cout, k, pad, groups):
    torch.manual_seed(0)
    layer = DeconvAsConv2d(cin, cout, k, padding=pad, groups=groups).double()
    ref = nn.ConvTranspose2d(cin, cout, k, padding=pad, groups=groups).double()
    ref.load_state_dict(layer.state_dict())  # same parameters, same keys
    x = torch.randn(2, cin, 11, 9, dtype=torch.float64, requires_grad=True)
    out, expected = layer(x), ref(x)
    assert out.shape == expected.shape
    torch.testing.assert_close(out, expected, rtol=1e-10, atol=1e-12)
    g = torch.randn_like(out)
    grads = torch.autograd.grad(out, (x, layer.weight, layer.bias), g)
    ref_grads = torch.autograd.grad(expected, (x, ref.weight, ref.bias), g)
    for a, b in zip(grads, ref_grads):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)


def test_other_strides_fall_back_to_the_transpose():
    torch.manual_seed(0)
    layer = DeconvAsConv2d(4, 3, 4, stride=2, padding=1).double()
    ref = nn.ConvTranspose2d(4, 3, 4, stride=2, padding=1).double()
    ref.load_state_dict(layer.state_dict())
    x = torch.randn(1, 4, 5, 6, dtype=torch.float64)
    assert layer(x).shape == (1, 3, 10, 12)
    torch.testing.assert_close(layer(x), ref(x), rtol=0, atol=0)


def test_built_by_mmcv_from_any_scope():
    init_default_scope('mmseg')
    layer = build_conv_layer(dict(type='DeconvAsConv2d'), 4, 4, 3, padding=1)
    assert isinstance(layer, DeconvAsConv2d) and isinstance(layer, nn.ConvTranspose2d)
    assert set(layer.state_dict()) == {'weight', 'bias'}


def test_inference_weight_is_cached_until_the_weight_changes():
    """Without gradients the converted weight is reused, and rebuilt after any update."""
    torch.manual_seed(0)
    layer = DeconvAsConv2d(4, 6, 3, padding=1).double()
    ref = nn.ConvTranspose2d(4, 6, 3, padding=1).double()
    x = torch.randn(1, 4, 7, 8, dtype=torch.float64)

    def check():
        ref.load_state_dict(layer.state_dict())
        with torch.no_grad():
            torch.testing.assert_close(layer(x), ref(x), rtol=1e-10, atol=1e-12)

    check()
    with torch.no_grad():
        first = layer.conv_weight()
        assert layer.conv_weight() is first  # cached
    # an optimiser step (in place), load_state_dict (in place) and BN-style folding (new data)
    opt = torch.optim.SGD(layer.parameters(), lr=0.5)
    layer(x).square().sum().backward()  # with gradients: rebuilt each call, autograd intact
    assert layer.weight.grad is not None and layer.weight.grad.abs().sum() > 0
    opt.step()
    check()
    layer.load_state_dict({k: torch.randn_like(v) for k, v in layer.state_dict().items()})
    check()
    layer.weight = nn.Parameter(layer.weight.detach() * 2)
    check()
    with torch.inference_mode():
        layer(x)
    x.requires_grad_(True)
    layer.weight.requires_grad_(False)  # a frozen layer after inference mode: still usable
    layer(x).sum().backward()
    assert x.grad is not None
    assert 'conv_weight' not in ''.join(layer.state_dict())
