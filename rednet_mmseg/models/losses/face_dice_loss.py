"""``FaceDiceLoss``: soft F1 of each face class over the batch, the score the metric counts."""

from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class FaceDiceLoss(nn.Module):
    """``1 - mean_c softF1_c``: one minus the mean soft Dice (F1) of ``classes`` over the batch.

    For class ``c`` with probabilities ``p`` (softmax of ``pred``) and one-hot labels ``y``,
    summed over every pixel of every image of the batch (as ``FaceParsingMetric`` sums one
    confusion matrix over a split)::

        softF1_c = (2 * sum(p_c * y_c) + eps) / (sum(p_c) + sum(y_c) + eps)

    Ignored pixels take no part. Meant beside the class-weighted cross-entropy
    (``loss_decode=[ce, dict(type='FaceDiceLoss', ...)]``): the cross-entropy's weights buy the
    small parts recall; this term prices their false positives as the F1 does.

    Written here rather than taking mmseg 1.2.2's ``DiceLoss``: that one drops the *class*
    numbered ``ignore_index`` instead of the ignored pixels (whose predictions then count as
    false positives) and flattens all classes of an image into one Dice, which the background
    dominates.

    Args:
        classes (Sequence[int], optional): the class indices whose F1 is averaged (e.g. every
            class but the background, the mean F1's classes). Default: all.
        loss_weight (float): Default: 1.0.
        eps (float): smoothing of numerator and denominator (pixels); a class absent from the
            batch and not predicted scores 1. Default: 1.0.
        loss_name (str): Default: ``'loss_dice'``.

    Shapes: ``pred`` ``(N, K, H, W)`` logits (or log-probabilities), ``target`` ``(N, H, W)``
    class indices with ``ignore_index`` for ignored pixels.
    """

    def __init__(
        self,
        classes: Optional[Sequence[int]] = None,
        loss_weight: float = 1.0,
        eps: float = 1.0,
        loss_name: str = 'loss_dice',
    ):
        super().__init__()
        if classes is not None:
            classes = [int(c) for c in classes]
            if not classes or min(classes) < 0 or len(set(classes)) != len(classes):
                raise ValueError(
                    f'FaceDiceLoss: classes must be distinct non-negative indices, got {classes}'
                )
        if eps <= 0:
            raise ValueError(f'FaceDiceLoss: eps must be positive, got {eps}')
        self.classes = classes
        self.loss_weight = loss_weight
        self.eps = float(eps)
        self._loss_name = loss_name

    def forward(
        self,
        pred: Tensor,
        target: Tensor,
        weight: Optional[Tensor] = None,
        ignore_index: int = 255,
        **kwargs,
    ) -> Tensor:
        """The loss, a scalar (``weight``, a per-pixel weight map, is not supported)."""
        if weight is not None:
            raise ValueError('FaceDiceLoss: per-pixel weights (seg_weight) are not supported')
        num_classes = pred.shape[1]
        if self.classes is not None and max(self.classes) >= num_classes:
            raise ValueError(
                f'FaceDiceLoss: classes {self.classes} do not fit scores of {num_classes} classes'
            )
        valid = target != ignore_index
        bad = valid & ((target < 0) | (target >= num_classes))
        if bad.any():
            raise ValueError(
                f'FaceDiceLoss: label {int(target[bad][0])} is outside the {num_classes} classes '
                f'and not ignore_index ({ignore_index})'
            )
        probs = pred.float().softmax(dim=1) * valid.unsqueeze(1)
        onehot = F.one_hot(torch.where(valid, target, 0).long(), num_classes)
        onehot = onehot.permute(0, 3, 1, 2).to(probs.dtype) * valid.unsqueeze(1)
        if self.classes is not None:
            index = torch.as_tensor(self.classes, device=pred.device)
            probs, onehot = probs.index_select(1, index), onehot.index_select(1, index)
        inter = (probs * onehot).sum(dim=(0, 2, 3))
        total = probs.sum(dim=(0, 2, 3)) + onehot.sum(dim=(0, 2, 3))
        f1 = (2 * inter + self.eps) / (total + self.eps)
        return self.loss_weight * (1 - f1.mean())

    @property
    def loss_name(self) -> str:
        """Its key in the losses dict (must start with ``loss_`` to be trained on)."""
        return self._loss_name
