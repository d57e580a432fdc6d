"""Packing the face prior with the inputs."""

import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.datasets.transforms import PackSegInputs
from mmseg.registry import TRANSFORMS

from .face_augment import mirror_order
from .prior_storage import restore_prior

#: The largest class sum a correctly resampled prior reaches. Bilinear resampling of the stored
#: form (``prior - 1``, ``prior_storage``) multiplies a rounding of the interpolation weights by
#: the number of classes: OpenCV's warp gave sums up to 1.005 on real photos (11 classes). A
#: pixel filled or resampled as a label map sums to at least 2 (two classes at 1), so 1.5
#: tells them apart.
MAX_RESAMPLED_SUM = 1.5


def prior_distribution(stored: np.ndarray, name=None) -> np.ndarray:
    """``(H, W, K)`` prior from its ``prior_storage`` form, each pixel a distribution again.

    Bilinear resampling's rounding is taken back; a prior that a transform filled or resampled
    as a label map (class sums above :data:`MAX_RESAMPLED_SUM`) is an error naming ``name``.
    """
    prior = restore_prior(stored)
    total = prior.sum(-1, keepdims=True)
    if prior.shape[-1] and total.max() > MAX_RESAMPLED_SUM:
        raise ValueError(
            f'{name or "<image>"}: the prior is no longer a distribution over the classes (sums '
            f'up to {total.max():.2f}): a transform after LoadFacePrior resampled or filled it '
            'as a label map'
        )
    return prior / np.maximum(total, 1.0)


@TRANSFORMS.register_module()
class PackFaceInputs(PackSegInputs):
    """``PackSegInputs`` that also packs the prior of :class:`LoadFacePrior`.

    The prior arrives flipped, resized and cropped with the image; after a horizontal flip
    its left/right class channels are swapped here with the pairs ``RandomFlip`` recorded in
    ``swap_seg_labels`` (mirrored left eye becomes a right eye). The soft labels of
    :class:`~rednet_mmseg.datasets.transforms.SoftFaceLabels` are packed the same way (class
    fractions, resampling's rounding taken back as for the prior; an ignored share stays
    missing).

    Required Keys: those of ``PackSegInputs``, ``gt_prior`` (optional), ``gt_soft_seg``
    (optional), ``flip``, ``flip_direction``, ``swap_seg_labels`` (optional).
    Added Keys: ``data_samples.face_prior``, ``data_samples.gt_soft_seg`` (``PixelData``,
    ``(K, H, W)`` float32).
    """

    def transform(self, results: dict) -> dict:
        """Pack as mmseg does, plus the prior and the soft labels."""
        packed = super().transform(results)
        flipped = bool(results.get('flip')) and results.get('flip_direction') == 'horizontal'
        pairs = results.get('swap_seg_labels') or ()
        for key, flipped_key, name_key, field in _CLASS_MAPS:
            stored = results.get(key)
            if stored is None:
                continue
            dist = prior_distribution(stored, results.get(name_key))
            if flipped != results.get(flipped_key, False):  # mirrored after the map was made
                dist = dist[..., mirror_order(pairs, dist.shape[-1])]
            packed['data_samples'].set_field(_pixels(dist), field)
        return packed


#: The per-class maps packed besides mmseg's fields: ``(results key, the key saying whether the
#: image was already mirrored when the map was made, the key of the file named in errors, the
#: data-sample field)``. Both travel in the prior's stored form (``prior_storage``).
_CLASS_MAPS = (
    ('gt_prior', 'prior_flipped', 'img_path', 'face_prior'),  # LoadFacePrior
    ('gt_soft_seg', 'soft_seg_flipped', 'seg_map_path', 'gt_soft_seg'),  # SoftFaceLabels
)


def _pixels(arr: np.ndarray) -> PixelData:
    """``PixelData`` of an ``(H, W, K)`` map, as ``(K, H, W)`` float32."""
    return PixelData(data=torch.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1))).float())
