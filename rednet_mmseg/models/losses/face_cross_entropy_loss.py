"""``FaceCrossEntropyLoss``: mmseg's cross-entropy whose class weights survive ignored pixels."""

from mmseg.models.losses import CrossEntropyLoss
from mmseg.registry import MODELS

from ...utils.upstream_compat import cross_entropy


@MODELS.register_module()
class FaceCrossEntropyLoss(CrossEntropyLoss):
    """mmseg 1.2.2's ``CrossEntropyLoss`` with the class-weight fix of ``upstream_compat`` (#4).

    Upstream raises ``IndexError: index 255 is out of bounds`` on any ignored pixel when
    ``class_weight`` is set; this computes the same normaliser per pixel (equal to upstream's
    where upstream works). Same arguments as ``CrossEntropyLoss``; the class-weighted configs
    (``weighted_loss`` in ``configs/_base_/datasets/helen.py``) name it. Sigmoid and mask
    variants are upstream's.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.use_sigmoid or self.use_mask):
            self.cls_criterion = cross_entropy
