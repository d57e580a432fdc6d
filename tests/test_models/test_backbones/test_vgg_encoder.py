import torch

from rednet_mmseg.models import DeconvHead, PooledFeatures, VGGEncoder


def test_vgg16_stages_and_indices():
    net = VGGEncoder(base_channels=8).eval()
    feats = net(torch.rand(1, 3, 64, 64))
    assert isinstance(feats, PooledFeatures)
    assert [tuple(f.shape[1:]) for f in feats] == [(8, 32, 32), (16, 16, 16), (32, 8, 8),
                                                  (64, 4, 4), (64, 2, 2)]
    assert len(feats.pool_indices) == 5 and feats.pool_shapes[0] == (64, 64)


def test_vgg_deconv_is_deconvnet_sized_and_restores_resolution():
    enc, head = VGGEncoder(), DeconvHead(in_channels=512, channels=64, num_classes=11)
    n = sum(p.numel() for m in (enc, head) for p in m.parameters())
    assert abs(n / 1e6 - 252) < 1  # Noh et al.'s DeconvNet has about 252 M parameters
    small = DeconvHead(in_channels=64, channels=8, unit_channels=(64, 32, 16, 8),
                       center_channels=16, num_classes=3).eval()
    with torch.no_grad():
        out = small(VGGEncoder(base_channels=8).eval()(torch.rand(2, 3, 70, 66)))
    assert out.shape == (2, 3, 70, 66)
