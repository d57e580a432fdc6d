"""Adaptive prior refinement (paper "Adaptive prior", Eq. 6-8, Fig. 5).

And the samples' priors batched for it.
"""

import math
from typing import List

import torch
import torch.nn.functional as F
from mmseg.models.utils import resize
from torch import Tensor

_EPS = 1e-12


def adaptive_scale(log_probs: Tensor) -> Tensor:
    """Eq. 6: per-pixel entropy of the decoder's distribution, normalised to ``[0, 1]``.

    Divided by its maximum ``log K``: 1 for a uniform pixel, ~0 for a confident one.

    Args:
        log_probs (Tensor): ``(N, K, H, W)`` log-softmax of the decoder output.

    Returns:
        Tensor: ``(N, 1, H, W)``.
    """
    entropy = -(log_probs.exp() * log_probs).sum(1, keepdim=True)  # finite: log_softmax
    return (entropy / math.log(log_probs.shape[1])).clamp(0.0, 1.0)


def refine_with_prior(
    seg_logits: Tensor,
    prior: Tensor,
    temperature=1.0,
    scale_grad: bool = True,
    combine: str = 'sum',
    prior_eps: float = 0.01,
) -> Tensor:
    """Eq. 7-8: ``P_final = N(P_net + As * Pr)``, returned as log-probabilities.

    Computed in log space, ``log(P_net + As*Pr) = logaddexp(log P_net, log As + log Pr)``, so
    confident pixels (As -> 0) and zero prior entries (log 0 = -inf) give neither ``log(0)``
    in the result nor NaN gradients. Feeding the result to a cross-entropy loss as logits gives
    exactly Eq. 2, since it is already normalised.

    Args:
        seg_logits (Tensor): ``(N, K, H, W)`` decoder logits.
        prior (Tensor): ``(N, K, H, W)`` prior distribution (Eq. 5), same size.
        temperature (float | Tensor): ``P_net = softmax(logits / T)`` (calibration; the paper
            is ``T = 1``). A tensor (a learned temperature) is used as it is, gradient included.
        scale_grad (bool): let the loss's gradient flow through ``As`` (Eq. 6) back into the
            network (the paper does not say). ``False`` treats ``As`` as a constant, so the
            network cannot lower the loss by growing uncertain where the prior is right.
        combine (str): ``'sum'``: the paper's Eq. 7-8. ``'product'``: Bayes' rule,
            ``P_final = N(P_net * (Pr + eps))``, i.e. ``log(Pr + eps)`` added to the logits:
            no entropy scale, the prior is never silenced by a confident network, and a
            network that knows nothing (uniform ``P_net``) returns the prior. Pixels without a
            prior (all zero) are left to the network. Default: 'sum'.
        prior_eps (float): ``eps`` of ``'product'``: how far the network can overrule a zero
            prior entry (``log(eps)`` in logits). Default: 0.01.

    Returns:
        Tensor: ``(N, K, H, W)`` log of the final score map.
    """
    if combine == 'product':
        log_prior = torch.log(prior.to(seg_logits.dtype).clamp_min(0.0) + prior_eps)
        return F.log_softmax(seg_logits / temperature + log_prior, dim=1)
    if combine != 'sum':
        raise ValueError(f"refine_with_prior: combine must be 'sum' or 'product', got {combine!r}")
    log_p = F.log_softmax(seg_logits / temperature, dim=1)
    scale = adaptive_scale(log_p)
    if not scale_grad:
        scale = scale.detach()
    # a prior from elsewhere may carry rounding below 0: log of it would be NaN
    log_apr = torch.log(scale.clamp_min(_EPS)) + torch.log(prior.to(log_p.dtype).clamp_min(0.0))
    # logaddexp(log_p, log_apr), spelt out: the TorchScript ONNX exporter has no logaddexp
    log_sum = torch.maximum(log_p, log_apr) + torch.log1p(torch.exp(-(log_p - log_apr).abs()))
    return log_sum - torch.logsumexp(log_sum, dim=1, keepdim=True)


def stack_priors(data_samples: List, size, key: str = 'face_prior') -> Tensor:
    """``face_prior`` of each sample, padded as mmseg pads the inputs: ``(N, K, H, W)``.

    Padded right and bottom to ``pad_shape``, with zeros (no prior) in the padding. ``key``:
    another per-class map packed the same way (``gt_soft_seg``).
    """
    priors = []
    for sample in data_samples:
        if key not in sample:
            step = 'LoadFacePrior' if key == 'face_prior' else 'SoftFaceLabels'
            raise KeyError(
                f'{sample.metainfo.get("img_path", "<image>")}: no {key}; add '
                f'{step} and PackFaceInputs to the pipeline'
            )
        prior = sample.get(key).data
        left, right, top, bottom = sample.metainfo.get('padding_size', (0, 0, 0, 0))
        prior = F.pad(prior, (left, right, top, bottom), value=0.0)
        if tuple(prior.shape[-2:]) != tuple(size):
            prior = resize(prior[None], size=tuple(size), mode='bilinear', align_corners=False)[0]
        priors.append(prior)
    return torch.stack(priors)
