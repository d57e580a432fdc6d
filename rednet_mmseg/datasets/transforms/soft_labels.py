"""Soft training targets: the label map as class fractions that the face crop area-averages."""

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from .loading import _mirrored
from .prior_storage import store_prior


def one_hot_labels(seg_map: np.ndarray, num_classes: int, ignore_index: int = 255) -> np.ndarray:
    """``(..., K)`` float32 one-hot of a ``(...)`` label map; an ignored pixel is all zeros.

    >>> one_hot_labels(np.array([[0, 2, 255]]), 3).tolist()
    [[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]]
    """
    seg_map = np.asarray(seg_map)
    valid = seg_map != ignore_index
    bad = valid & ((seg_map < 0) | (seg_map >= num_classes))
    if bad.any():
        raise ValueError(
            f'label value {int(seg_map[bad][0])} outside the {num_classes} classes '
            f'(and not the ignore index {ignore_index})'
        )
    out = np.zeros(seg_map.shape + (num_classes,), np.float32)
    out[np.nonzero(valid) + (seg_map[valid].astype(np.intp),)] = 1.0
    return out


@TRANSFORMS.register_module()
class SoftFaceLabels(BaseTransform):
    """The label map as per-class fractions, moved with the image as the prior is.

    At the photo's resolution each pixel is one class (one-hot; 255 = ignored: all zeros).
    Registered in ``seg_fields`` in the prior's stored form (``prior_storage``), so
    ``FaceCropResize`` area-averages it where it shrinks the photo (a face box of 150-300 px
    becomes 38-58 px in the CPU recipes) and resamples it bilinearly elsewhere, while the hard
    label map is sampled nearest-neighbour: a brow 3 photo pixels thick is then a band of 0.6
    brow at the crop's scale, not a line that appears or vanishes with the crop's offset. Crops
    and flips move it exactly; :class:`PackFaceInputs` swaps its left/right channels after a
    mirror (as for the prior) and packs it as ``gt_soft_seg``;
    :class:`~rednet_mmseg.models.segmentors.PriorEncoderDecoder` then trains on it
    (cross-entropy with soft targets, class-weighted as the hard loss, equal to it on one-hot
    targets). Put it right after ``LoadAnnotations``; the transforms after it are checked as
    those after ``LoadFacePrior`` (``prior_storage.check_prior_pipeline``).

    Required Keys: ``gt_seg_map``.
    Modified Keys: ``seg_fields``.
    Added Keys: ``gt_soft_seg`` (np.float32, ``(H, W, K)``, stored form), ``soft_seg_flipped``.

    Args:
        num_classes (int): K, the data set's number of classes.
        ignore_index (int): the label value of ignored pixels. Default: 255.
    """

    def __init__(self, num_classes: int, ignore_index: int = 255):
        if int(num_classes) < 1:
            raise ValueError(f'SoftFaceLabels: num_classes must be positive, got {num_classes}')
        self.num_classes = int(num_classes)
        self.ignore_index = ignore_index

    def transform(self, results: dict) -> dict:
        """Add ``gt_soft_seg`` from ``gt_seg_map``."""
        if results.get('gt_seg_map') is None:
            raise ValueError(
                f'{results.get("img_path", "<image>")}: SoftFaceLabels needs the label map; put '
                'it after LoadAnnotations'
            )
        try:
            onehot = one_hot_labels(results['gt_seg_map'], self.num_classes, self.ignore_index)
        except ValueError as err:
            raise ValueError(f'{results.get("seg_map_path", "<label map>")}: {err}') from None
        results['gt_soft_seg'] = store_prior(onehot)
        results.setdefault('seg_fields', []).append('gt_soft_seg')
        results['soft_seg_flipped'] = _mirrored(results)
        return results

    def __repr__(self):
        """The transform's arguments."""
        return (
            f'{type(self).__name__}(num_classes={self.num_classes}, '
            f'ignore_index={self.ignore_index})'
        )
