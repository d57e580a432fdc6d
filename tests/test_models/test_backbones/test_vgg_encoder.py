import torch

from rednet_mmseg.models import PooledFeatures, VGGEncoder


def test_vgg16_stages_and_indices():
    net = VGGEncoder(base_channels=8).eval()
    feats = net(torch.rand(1, 3, 64, 64))
    assert isinstance(feats, PooledFeatures)
    assert [tuple(f.shape[1:]) for f in feats] == [
        (8, 32, 32),
        (16, 16, 16),
        (32, 8, 8),
        (64, 4, 4),
        (64, 2, 2),
    ]
    assert len(feats.pool_indices) == 5 and feats.pool_shapes[0] == (64, 64)
