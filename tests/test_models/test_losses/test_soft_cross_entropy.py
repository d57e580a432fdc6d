"""soft_cross_entropy: the class-weighted hard loss on one-hot targets; a proper soft loss."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rednet_mmseg.datasets.transforms.soft_labels import one_hot_labels
from rednet_mmseg.models.losses import soft_cross_entropy
from rednet_mmseg.utils.upstream_compat import cross_entropy


@settings(max_examples=40, deadline=None)
@given(
    k=st.integers(2, 12),
    h=st.integers(1, 9),
    w=st.integers(1, 9),
    weighted=st.booleans(),
    ignored=st.floats(0, 1),
    seed=st.integers(0, 2**16),
)
def test_one_hot_targets_give_the_hard_loss(k, h, w, weighted, ignored, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, (2, h, w))
    labels[rng.random((2, h, w)) < ignored] = 255
    logits = torch.from_numpy(rng.normal(0, 3, (2, k, h, w))).float()
    weight = torch.from_numpy(rng.uniform(0.2, 5, k)).float() if weighted else None
    targets = torch.from_numpy(one_hot_labels(labels, k)).permute(0, 3, 1, 2)
    hard = cross_entropy(logits, torch.from_numpy(labels), class_weight=weight, ignore_index=255)
    soft = soft_cross_entropy(logits, targets, weight)
    if (labels == 255).all():  # nothing to learn: both 0
        assert soft.item() == 0 and hard.item() == 0
    else:
        # the same non-negative terms summed in another order: torch's CPU sums are cascaded,
        # each off by at most about log2(terms) fp32 roundings of the total
        tol = 4 * math.log2(targets.numel()) * torch.finfo(torch.float32).eps
        assert math.isclose(soft.item(), hard.item(), rel_tol=tol, abs_tol=1e-6)


def test_a_soft_target_is_the_mixture_of_its_hard_losses():
    """One pixel, target (0.6, 0.4): 0.6 CE(class 0) + 0.4 CE(class 1), its minimum at p = t."""
    logits = torch.tensor([0.3, -0.2, 1.0]).view(1, 3, 1, 1)
    target = torch.tensor([0.6, 0.4, 0.0]).view(1, 3, 1, 1)
    logp = torch.log_softmax(logits, 1).flatten()
    expected = -(0.6 * logp[0] + 0.4 * logp[1])
    assert math.isclose(soft_cross_entropy(logits, target).item(), expected.item(), rel_tol=1e-6)
    x = torch.zeros(1, 3, 1, 1, requires_grad=True)
    opt = torch.optim.SGD([x], lr=1.0)
    for _ in range(300):
        opt.zero_grad()
        soft_cross_entropy(x, target + torch.tensor([0, 0, 1e-4]).view(1, 3, 1, 1)).backward()
        opt.step()
    np.testing.assert_allclose(x.softmax(1).flatten()[:2].detach().numpy(), [0.6, 0.4], atol=2e-3)


def test_shapes_must_match():
    with pytest.raises(ValueError, match='differ'):
        soft_cross_entropy(torch.zeros(1, 3, 4, 4), torch.zeros(1, 3, 4, 5))
