"""DeconvHead: DeconvNet's decoder, unpooling with the encoder's indices.

VGG-Deconv and Res-Deconv, the interpolation fallback without indices, clear errors on mismatched
encoders.
"""

import pytest
import torch
from mmseg.models.backbones import ResNetV1c

from rednet_mmseg.models import DeconvHead, RedNetEncoder, VGGEncoder


def test_vgg_deconv_is_deconvnet_sized_and_restores_resolution():
    enc, head = VGGEncoder(), DeconvHead(in_channels=512, channels=64, num_classes=11)
    n = sum(p.numel() for m in (enc, head) for p in m.parameters())
    assert abs(n / 1e6 - 252) < 1  # Noh et al.'s DeconvNet has about 252 M parameters
    small = DeconvHead(
        in_channels=64, channels=8, unit_channels=(64, 32, 16, 8), center_channels=16, num_classes=3
    ).eval()
    with torch.no_grad():
        out = small(VGGEncoder(base_channels=8).eval()(torch.rand(2, 3, 70, 66)))
    assert out.shape == (2, 3, 70, 66)


def test_res_deconv_on_re_net():
    head = DeconvHead(
        in_channels=128,
        channels=16,
        unit_channels=(128, 64, 32, 16),
        convs_per_unit=(1, 1, 1, 1, 1),
        center_channels=0,
        num_classes=11,
    ).eval()
    with torch.no_grad():
        out = head(RedNetEncoder(arch='tiny').eval()(torch.rand(1, 3, 64, 48)))
    assert out.shape == (1, 11, 64, 48)


def test_fallback_without_indices_upsamples():
    """A backbone without indices (a plain tuple): each level upsamples 2x instead."""
    enc = ResNetV1c(depth=18, base_channels=8, stem_channels=8)
    enc.eval()  # mmseg's ResNet.train() returns None: no chaining
    head = DeconvHead(
        in_channels=64,
        channels=8,
        unit_channels=(32, 16, 8, 8),
        convs_per_unit=(1, 1, 1, 1, 1),
        center_channels=0,
        num_classes=3,
    ).eval()
    with torch.no_grad():
        out = head(enc(torch.rand(1, 3, 64, 64)))
    assert out.shape == (1, 3, 64, 64)  # stride 32 * 2^5 levels / 32


def test_mismatched_encoder_is_a_clear_error():
    head = DeconvHead(
        in_channels=64, channels=8, unit_channels=(32, 16, 8, 8), center_channels=0, num_classes=3
    )  # should be (64, 32, 16, 8)
    feats = VGGEncoder(base_channels=8)(torch.rand(1, 3, 32, 32))
    with pytest.raises(ValueError, match='DeconvHead: decoder input .* does not match'):
        head(feats)
    deep = DeconvHead(
        in_channels=64,
        channels=8,
        unit_channels=(64, 32, 16, 8, 8),
        convs_per_unit=(1,) * 6,
        center_channels=0,
        num_classes=3,
    )
    with pytest.raises(ValueError, match='6 unpooling levels but the encoder provides only 5'):
        deep(feats)
    with pytest.raises(ValueError, match='one entry per level'):
        DeconvHead(
            in_channels=64, channels=8, unit_channels=(32,), convs_per_unit=(1,), num_classes=3
        )
