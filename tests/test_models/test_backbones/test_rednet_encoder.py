import pytest
import torch

from rednet_mmseg.models import PooledFeatures, RedNetEncoder


def test_paper_arch_shapes_and_indices():
    net = RedNetEncoder().eval()
    assert net.stage_channels == (64, 128, 256, 512, 512)
    with torch.no_grad():
        feats = net(torch.rand(1, 3, 224, 224))
    assert isinstance(feats, PooledFeatures) and isinstance(feats, tuple)
    assert [tuple(f.shape) for f in feats] == [
        (1, 64, 112, 112),
        (1, 128, 56, 56),
        (1, 256, 28, 28),
        (1, 512, 14, 14),
        (1, 512, 7, 7),
    ]
    assert len(feats.pool_indices) == 5
    assert feats.pool_shapes == ((224, 224), (112, 112), (56, 56), (28, 28), (14, 14))
    for f, idx in zip(feats, feats.pool_indices):
        assert idx.shape == f.shape and idx.dtype == torch.int64


def test_out_indices_and_six_units_for_pretraining():
    net = RedNetEncoder(arch='tiny', num_units=6, out_indices=(5,)).eval()
    feats = net(torch.rand(2, 3, 64, 64))
    # unit 6 is not followed by pooling: stride 32 like stage 5
    assert len(feats) == 1 and tuple(feats[0].shape) == (2, 128, 2, 2)
    assert len(feats.pool_indices) == 5


def test_odd_input_sizes_keep_pool_shapes():
    net = RedNetEncoder(arch='tiny').eval()
    feats = net(torch.rand(1, 3, 250, 250))
    assert feats.pool_shapes[:3] == ((250, 250), (125, 125), (62, 62))


@pytest.mark.parametrize(
    'kwargs',
    [
        dict(arch='nope'),
        dict(num_units=7),
        dict(out_indices=(5,)),
        dict(out_indices=(-1, 2)),
        dict(num_blocks=(2, 2, 2, 2)),
        dict(num_blocks=(1, 1, 0, 1, 1)),
    ],
)
def test_invalid_arguments(kwargs):
    with pytest.raises((KeyError, ValueError)):
        RedNetEncoder(**kwargs)


def test_paper_model_size_matches_table2():
    """Table 2: 107 MB for var a/b, 90 MB for var c/d (fp32 parameters)."""
    from rednet_mmseg.models import RDHead

    enc = RedNetEncoder()
    sizes = {}
    for variant in 'abcd':
        head = RDHead(in_channels=512, channels=64, num_classes=11, variant=variant)
        n = sum(p.numel() for m in (enc, head) for p in m.parameters())
        sizes[variant] = n * 4 / 2**20
    assert sizes['a'] == sizes['b'] and sizes['c'] == sizes['d']
    assert abs(sizes['a'] - 107) < 3 and abs(sizes['c'] - 90) < 3


def test_added_blocks_start_as_identity_over_a_trained_encoder():
    """``num_blocks`` deeper than a checkpoint + ``zero_init_residual``: same outputs at start."""
    torch.manual_seed(0)
    shallow = RedNetEncoder(arch='tiny')
    shallow.init_weights()
    for m in shallow.modules():  # a "trained" network: BN statistics away from their defaults
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
    deep = RedNetEncoder(arch='tiny', num_blocks=(2, 2, 2, 2, 1), zero_init_residual=True)
    deep.init_weights()
    missing, unexpected = deep.load_state_dict(shallow.state_dict(), strict=False)
    assert not unexpected
    # only the added second blocks of units 1-4 are not in the checkpoint
    assert {tuple(k.split('.')[:3]) for k in missing} == {('units', str(u), '1') for u in range(4)}
    x = torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        a, b = shallow.eval()(x), deep.eval()(x)
    for fa, fb in zip(a, b):
        torch.testing.assert_close(fa, fb)
    # without zero_init_residual the added blocks change the function
    other = RedNetEncoder(arch='tiny', num_blocks=(2, 2, 2, 2, 1))
    other.init_weights()
    other.load_state_dict(shallow.state_dict(), strict=False)
    with torch.no_grad():
        assert not torch.allclose(other.eval()(x)[-1], a[-1])
