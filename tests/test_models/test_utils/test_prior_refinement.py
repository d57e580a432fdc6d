import math

import torch

from rednet_mmseg.models import adaptive_scale, refine_with_prior


def _pixels(*columns):
    """(1, K, 1, P) tensor from P per-pixel K-vectors."""
    return torch.tensor(columns, dtype=torch.float32).T[None, :, None, :]


def test_eq6_to_8_hand_computed():
    # pixel 0: uniform (scale 1); pixel 1: confident (scale ~0); pixel 2: p = (1/4, 1/2, 1/4)
    logits = _pixels([0, 0, 0], [50, 0, 0], [0, math.log(2), 0])
    prior = _pixels([0.5, 0.5, 0], [0, 1, 0], [0, 0, 1])
    scale = adaptive_scale(torch.log_softmax(logits, 1))[0, 0, 0]
    h2 = -(0.25 * math.log(0.25) * 2 + 0.5 * math.log(0.5)) / math.log(3)
    assert torch.allclose(scale, torch.tensor([1.0, 0.0, h2]), atol=1e-6)
    final = refine_with_prior(logits, prior).exp()[0, :, 0]
    expected = torch.tensor(
        [
            [(1 / 3 + 0.5) / 2, (1 / 3 + 0.5) / 2, (1 / 3) / 2],  # (P + 1 * Pr) / (1 + 1)
            [1.0, 0.0, 0.0],  # confident: unchanged
            [0.25 / (1 + h2), 0.5 / (1 + h2), (0.25 + h2) / (1 + h2)],
        ]
    ).T
    assert torch.allclose(final, expected, atol=1e-6)
    assert torch.allclose(final.sum(0), torch.ones(3))


def test_numerically_safe_on_confident_pixels_and_zero_prior():
    logits = _pixels([200, -200, 0], [0, 0, 0]).requires_grad_()
    prior = _pixels([0, 0, 1], [0, 0, 0])  # zero prior everywhere in pixel 1
    out = refine_with_prior(logits, prior)
    assert torch.isfinite(out).all()
    out[0, 1].sum().backward()  # log-probability of a class with p ~ 0
    assert torch.isfinite(logits.grad).all()
    # a pixel without prior (padding) keeps the network's distribution exactly
    assert torch.allclose(out[..., 1].exp(), torch.full((1, 3, 1), 1 / 3))
