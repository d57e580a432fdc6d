"""PooledFeatures: a tuple for every mmseg head, plus the indices.

UnpoolIndices hands them out deep to shallow, checked.
"""

import pytest
import torch
from torch import nn

from rednet_mmseg.models import PooledFeatures
from rednet_mmseg.models.utils.pooled_features import UnpoolIndices


def _collect(num_pools=None):
    stages = [
        nn.Conv2d(3, 4, 3, padding=1),
        nn.Conv2d(4, 6, 3, padding=1),
        nn.Conv2d(6, 8, 3, padding=1),
    ]
    pool = nn.MaxPool2d(2, 2, return_indices=True)
    return PooledFeatures.collect(torch.rand(2, 3, 20, 18), stages, pool, (1, 2), num_pools)


def test_collect_records_outputs_indices_and_input_sizes():
    feats = _collect()
    assert isinstance(feats, tuple) and len(feats) == 2  # out_indices (1, 2)
    assert [tuple(f.shape) for f in feats] == [(2, 6, 5, 4), (2, 8, 2, 2)]
    assert feats.pool_shapes == ((20, 18), (10, 9), (5, 4))  # odd sizes kept for unpooling
    assert [tuple(i.shape) for i in feats.pool_indices] == [
        (2, 4, 10, 9),
        (2, 6, 5, 4),
        (2, 8, 2, 2),
    ]
    assert len(_collect(num_pools=2).pool_indices) == 2  # the last stage unpooled
    assert not hasattr(tuple(feats), 'pool_indices')  # a neck's rebuilt tuple drops them


def test_unpool_indices_deep_to_shallow_and_checked():
    feats = _collect()
    take = UnpoolIndices(feats, 3, 'Head')
    idx, size = take.take(torch.zeros(2, 8, 2, 2))
    assert idx is feats.pool_indices[2] and size == (5, 4)
    with pytest.raises(ValueError, match=r'Head: decoder input \(2, 5, 5, 4\) does not match'):
        take.take(torch.zeros(2, 5, 5, 4))
    with pytest.raises(
        ValueError, match='Head has 4 unpooling levels but the encoder provides only 3'
    ):
        UnpoolIndices(feats, 4, 'Head')
    plain = UnpoolIndices(tuple(feats), 4, 'Head')  # no indices: the fallback
    assert plain.take(torch.zeros(1)) == (None, None)
