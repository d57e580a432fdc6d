"""Cross-entropy with soft targets (class fractions), class-weighted as mmseg's hard loss."""

from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor


def soft_cross_entropy(
    logits: Tensor, targets: Tensor, class_weight: Optional[Tensor] = None
) -> Tensor:
    """Mean cross-entropy of ``(N, K, H, W)`` scores against ``(N, K, H, W)`` class fractions.

    Each pixel's loss is ``-sum_c t_c w_c log p_c`` (``p = softmax(logits)``, ``w`` the class
    weights, 1 without them), and the mean divides by ``sum_c t_c w_c`` over all pixels plus
    the pixels' missing mass ``1 - sum_c t_c`` (ignored shares count 1, as an ignored pixel
    does in :func:`rednet_mmseg.utils.upstream_compat.cross_entropy` with
    ``avg_non_ignore=False``). On one-hot targets (an ignored pixel all zeros) it equals that
    hard loss exactly.

    Args:
        logits (Tensor): ``(N, K, H, W)`` scores (or log-probabilities).
        targets (Tensor): ``(N, K, H, W)`` non-negative fractions, each pixel summing to at most 1.
        class_weight (Tensor, optional): ``(K,)`` positive class weights.

    Returns:
        Tensor: the scalar loss.
    """
    if logits.shape != targets.shape:
        raise ValueError(
            f'soft_cross_entropy: scores {tuple(logits.shape)} and targets '
            f'{tuple(targets.shape)} differ'
        )
    targets = targets.to(logits.dtype)
    weighted = targets
    if class_weight is not None:
        class_weight = torch.as_tensor(class_weight, dtype=logits.dtype, device=logits.device)
        weighted = targets * class_weight.view(1, -1, 1, 1)
    loss = -(weighted * F.log_softmax(logits, dim=1)).sum()
    missing = (1 - targets.sum(dim=1)).clamp(min=0)
    return loss / (weighted.sum() + missing.sum()).clamp(min=torch.finfo(logits.dtype).tiny)
