"""Shared contracts (smp's BaseModelTester) for the unpooling heads and encoders.

One test body over every registered UnpoolingHead subclass and over both encoders, so a new head or
encoder is held to the same rules.
"""

import pytest
import torch
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import rednet_mmseg.models as models
from rednet_mmseg.models.decode_heads.unpooling_head import UnpoolingHead
from rednet_mmseg.models.utils import PooledFeatures

#: tiny settings per encoder
ENCODERS = dict(
    RedNetEncoder=dict(type='RedNetEncoder', arch='tiny'),
    VGGEncoder=dict(type='VGGEncoder', base_channels=4),
)
HEADS = sorted(
    name
    for name in dir(models)
    if isinstance(getattr(models, name), type)
    and issubclass(getattr(models, name), UnpoolingHead)
    and getattr(models, name) is not UnpoolingHead
)
#: head-specific arguments beyond the shared ones
HEAD_EXTRA = dict(DeconvHead=dict(convs_per_unit=(1, 1, 1, 1, 1), center_channels=16))


def _features(encoder, size=(64, 96)):
    enc = MODELS.build(ENCODERS[encoder]).eval()
    with torch.no_grad():
        return enc, enc(torch.rand(2, 3, *size))


def test_every_head_is_covered():
    assert set(HEADS) >= {'RDHead', 'DeconvHead'}


@pytest.mark.parametrize('encoder', sorted(ENCODERS))
def test_encoder_contract(encoder):
    """Five levels at strides 2-32, as PooledFeatures, with one index map per pooling.

    A plain tuple to other heads; each index map is shaped like the pooled map it undoes.
    """
    enc, feats = _features(encoder)
    assert isinstance(feats, PooledFeatures) and isinstance(feats, tuple) and len(feats) == 5
    for i, f in enumerate(feats):
        assert f.shape[0] == 2 and f.shape[2:] == (64 // 2 ** (i + 1), 96 // 2 ** (i + 1))
    assert len(feats.pool_indices) == len(feats.pool_shapes) >= 4
    for idx, shape in zip(feats.pool_indices, feats.pool_shapes):
        assert idx.dtype == torch.int64 and idx.shape[2] * 2 <= shape[-2] + 1
    assert enc.training is False


@pytest.mark.parametrize('head', HEADS)
@pytest.mark.parametrize('encoder', sorted(ENCODERS))
def test_head_contract(head, encoder):
    """Any unpooling head on any encoder meets the contract.

    Full-resolution logits (N, K, H, W), a finite loss that reaches every trainable parameter, and a
    prediction at the sample's size.
    """
    _, feats = _features(encoder)
    chans = [f.shape[1] for f in feats]
    cfg = dict(
        type=head,
        in_channels=chans[-1],
        channels=chans[0],
        unit_channels=tuple(reversed(chans[1:-1])) + (chans[0],),  # deep to shallow
        num_classes=5,
        **HEAD_EXTRA.get(head, {}),
    )
    net = MODELS.build(cfg)
    logits = net(feats)
    assert logits.shape == (2, 5, 64, 96)
    samples = [
        SegDataSample(
            gt_sem_seg=PixelData(data=torch.randint(0, 5, (1, 64, 96))),
            metainfo=dict(img_shape=(64, 96), ori_shape=(64, 96), pad_shape=(64, 96)),
        )
        for _ in range(2)
    ]
    losses = net.loss_by_feat(logits, samples)
    assert torch.isfinite(losses['loss_ce'])
    losses['loss_ce'].backward()
    assert all(p.grad is not None for p in net.parameters() if p.requires_grad)
    net.eval()
    with torch.no_grad():
        pred = net.predict(feats, [s.metainfo for s in samples], dict())
    assert pred.shape == (2, 5, 64, 96)
