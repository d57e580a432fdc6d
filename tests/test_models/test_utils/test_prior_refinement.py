import math

import pytest
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


def test_rounding_below_zero_in_the_prior_gives_no_nan():
    """A prior entry of -1.2e-7 (fp32 rounding) is treated as 0, not log(negative).

    In the output and in the gradient: no NaN.
    """
    logits = torch.randn(1, 3, 2, 2, requires_grad=True)
    prior = torch.tensor([0.7, 0.3, -1.2e-7]).view(1, 3, 1, 1).expand(1, 3, 2, 2)
    out = refine_with_prior(logits, prior)
    out[:, 0].sum().backward()
    assert torch.isfinite(out).all() and torch.isfinite(logits.grad).all()


def test_temperature_divides_the_logits():
    logits, prior = torch.randn(2, 5, 3, 3), torch.rand(2, 5, 3, 3).softmax(1)
    torch.testing.assert_close(
        refine_with_prior(logits, prior, temperature=2.5), refine_with_prior(logits / 2.5, prior)
    )


def test_stopped_scale_gradient_treats_the_scale_as_a_constant():
    """scale_grad=False: the gradient of log N(P_net + c * Pr) with c = As held fixed.

    With the gradient through As it differs.
    """
    torch.manual_seed(0)
    prior = torch.rand(1, 4, 2, 2).softmax(1)
    weights = torch.randn(1, 4, 2, 2)

    def grad(fn):
        logits = torch.randn(1, 4, 2, 2, generator=torch.Generator().manual_seed(1))
        logits.requires_grad_(True)
        (fn(logits) * weights).sum().backward()
        return logits.grad

    def by_hand(logits):
        p = logits.softmax(1)
        c = adaptive_scale(p.log()).detach()
        q = p + c * prior
        return (q / q.sum(1, keepdim=True)).log()

    stopped = grad(lambda x: refine_with_prior(x, prior, scale_grad=False))
    torch.testing.assert_close(stopped, grad(by_hand))
    assert not torch.allclose(stopped, grad(lambda x: refine_with_prior(x, prior)), atol=1e-4)


def test_product_is_bayes_rule():
    """combine='product': P_final = N(P_net * (Pr + eps)).

    A uniform network returns the (smoothed) prior, a pixel without prior is the network's own
    distribution.
    """
    torch.manual_seed(0)
    logits, prior = torch.randn(1, 4, 3, 3), torch.rand(1, 4, 3, 3).softmax(1)
    prior[..., 0, 0] = 0  # one pixel without a prior
    out = refine_with_prior(logits, prior, combine='product', prior_eps=0.01).exp()
    expected = logits.softmax(1) * (prior + 0.01)
    torch.testing.assert_close(out, expected / expected.sum(1, keepdim=True))
    torch.testing.assert_close(out[..., 0, 0], logits.softmax(1)[..., 0, 0])
    uniform = refine_with_prior(torch.zeros_like(logits), prior, combine='product').exp()
    torch.testing.assert_close(uniform[..., 1:, :], ((prior + 0.01) / (1 + 0.04))[..., 1:, :])
    with pytest.raises(ValueError, match="'sum' or 'product'"):
        refine_with_prior(logits, prior, combine='max')
