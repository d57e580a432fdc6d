import pytest
import torch
import torch.nn as nn
from mmseg.models.backbones import MobileNetV2, ResNetV1c

from rednet_mmseg.models import RDHead, RedNetEncoder


def _tiny_head(**kwargs):
    cfg = dict(in_channels=128, channels=16, unit_channels=(128, 64, 32, 16), num_classes=11)
    cfg.update(kwargs)
    return RDHead(**cfg)


@pytest.mark.parametrize('variant', 'abcd')
def test_variants_forward_full_resolution(variant):
    enc = RedNetEncoder(arch='tiny').eval()
    head = _tiny_head(variant=variant).eval()
    with torch.no_grad():
        out = head(enc(torch.rand(2, 3, 96, 80)))
    assert out.shape == (2, 11, 96, 80)


def test_decoder_uses_indices():
    """With indices the first unpooling is sparse (exactly one non-zero per 2x2 window)."""
    enc = RedNetEncoder(arch='tiny').eval()
    head = _tiny_head().eval()
    feats = enc(torch.rand(1, 3, 64, 64))
    seen = {}
    head.units[0].body.register_forward_hook(lambda m, inp, out: seen.setdefault('x', inp[0]))
    head(feats)
    unpooled = seen['x']
    windows = unpooled.unfold(2, 2, 2).unfold(3, 2, 2).reshape(1, 128, 2, 2, 4)
    assert int((windows != 0).sum(-1).max()) <= 1


def test_paper_init_is_normal_001():
    head = RDHead(in_channels=512, channels=64, num_classes=11)
    head.init_weights()
    w = torch.cat(
        [
            m.weight.flatten()
            for m in head.modules()
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))
        ]
    )
    assert abs(w.std().item() - 0.01) < 1e-3 and abs(w.mean().item()) < 1e-3


def test_mismatched_unit_channels_give_clear_error():
    enc = RedNetEncoder(arch='tiny').eval()
    head = _tiny_head(unit_channels=(64, 64, 32, 16)).eval()
    with pytest.raises(ValueError, match='unit_channels'):
        head(enc(torch.rand(1, 3, 64, 64)))


@pytest.mark.parametrize(
    'backbone,in_channels,units',
    [
        (lambda: ResNetV1c(depth=18, base_channels=16, stem_channels=16), 128, (64, 32, 16, 16)),
        (lambda: MobileNetV2(widen_factor=0.25, out_indices=(1, 6)), 80, (32, 16, 16, 16)),
    ],
)
def test_fallback_on_mmseg_backbones(backbone, in_channels, units):
    """Mmseg backbones return plain tuples: RDHead upsamples instead of unpooling."""
    net = backbone()
    net.eval()  # mmseg's ResNet.train() returns None, so no chaining
    head = RDHead(in_channels=in_channels, channels=16, unit_channels=units, num_classes=11).eval()
    with torch.no_grad():
        feats = net(torch.rand(1, 3, 64, 64))
        assert not hasattr(feats, 'pool_indices')
        out = head(feats)
    assert out.shape == (1, 11, 64, 64)


@pytest.mark.parametrize(
    'head_cfg',
    [
        dict(type='FCNHead', in_channels=128, channels=16, num_convs=1, num_classes=11),
        dict(
            type='UPerHead',
            in_channels=[32, 64, 128, 128],
            in_index=[1, 2, 3, 4],
            channels=16,
            pool_scales=(1, 2),
            num_classes=11,
        ),
        dict(
            type='DepthwiseSeparableASPPHead',
            in_channels=128,
            in_index=4,
            channels=16,
            dilations=(1, 2),
            c1_in_channels=16,
            c1_channels=8,
            num_classes=11,
        ),
    ],
)
def test_mmseg_heads_on_rednet_features(head_cfg):
    from mmseg.registry import MODELS

    enc = RedNetEncoder(arch='tiny').eval()
    head = MODELS.build(head_cfg).eval()
    with torch.no_grad():
        out = head(enc(torch.rand(1, 3, 64, 64)))
    assert out.shape[:2] == (1, 11)


def test_var_a_weights_initialise_c_and_d_by_name():
    """Table 2 "-ft": a var-a checkpoint fills every module of var c / d.

    Modules keep their names across variants, so load_from a var-a checkpoint fills every module of
    var c / d with the matching var-a weights.
    """
    sd = _tiny_head(variant='a').state_dict()
    for variant in 'cd':
        head = _tiny_head(variant=variant)
        missing, unexpected = head.load_state_dict(sd, strict=False)
        assert not missing and unexpected
        assert all(torch.equal(v, sd[k]) for k, v in head.state_dict().items())


def test_no_pooling_indices_is_said_once():
    """A neck (or another backbone) hands RDHead a plain tuple: one warning names the fallback."""
    import warnings

    from rednet_mmseg.models.utils import pooled_features

    pooled_features._WARNED.discard('RDHead')
    head = RDHead(in_channels=32, channels=8, unit_channels=(16,), num_classes=11).eval()
    feats = (torch.rand(1, 16, 16, 16), torch.rand(1, 32, 8, 8))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        with torch.no_grad():
            head(feats)
            head(feats)
    said = [w for w in caught if 'receives no pooling indices' in str(w.message)]
    assert len(said) == 1 and 'a neck between RedNetEncoder and the head' in str(said[0].message)


def test_unknown_variant():
    with pytest.raises(ValueError, match="unknown RD-Unit variant 'e'"):
        RDHead(in_channels=32, channels=8, unit_channels=(16,), num_classes=11, variant='e')
