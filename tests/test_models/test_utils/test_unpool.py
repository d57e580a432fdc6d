import pytest
import torch
import torch.nn.functional as F

from rednet_mmseg.models.utils.unpool import scatter_unpool, unpool2x


@pytest.mark.parametrize('shape', [(2, 3, 8, 10), (1, 4, 7, 9)])
@pytest.mark.parametrize('channels_last', [False, True])
def test_scatter_unpool_equals_max_unpool(shape, channels_last):
    x = torch.randn(*shape)
    if channels_last:
        x = x.to(memory_format=torch.channels_last)
    pooled, idx = F.max_pool2d(x, 2, 2, return_indices=True)
    pooled.requires_grad_()
    ref = F.max_unpool2d(pooled, idx, 2, 2, output_size=shape[-2:])
    new = scatter_unpool(pooled, idx, shape[-2:])
    assert torch.equal(ref, new)
    g = torch.randn(shape)
    assert torch.equal(
        torch.autograd.grad((ref * g).sum(), pooled)[0],
        torch.autograd.grad((new * g).sum(), pooled)[0],
    )


def test_deterministic_mode_uses_the_scatter():
    """Torch flags max_unpool2d as non-deterministic; RED-Net must still train."""
    x = torch.randn(2, 3, 8, 8)
    pooled, idx = F.max_pool2d(x, 2, 2, return_indices=True)
    expected = unpool2x(pooled, idx, (8, 8))
    torch.use_deterministic_algorithms(True)
    try:
        with pytest.raises(RuntimeError, match='deterministic'):
            F.max_unpool2d(pooled, idx, 2, 2)
        assert torch.equal(unpool2x(pooled, idx, (8, 8)), expected)
    finally:
        torch.use_deterministic_algorithms(False)
