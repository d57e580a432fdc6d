"""The reference path of face parsing: one face crop through the packed test pipeline.

The crop (and, mirrored, the mirror face with its own prior: ``mirror_face`` before the
pipeline) goes through the config's test pipeline, ``pseudo_collate``, the segmentor's
``test_step`` (data preprocessor, ``predict``, ``postprocess_result``) and
:class:`~rednet_mmseg.models.segmentors.FaceSegTTAModel`'s merge: what
:class:`~rednet_mmseg.apis.crop_parser.CropParser` reproduces with tensor operations, and the
path of configs whose test pipeline it does not support. Same interface as ``CropParser``.
"""

from typing import Callable

import numpy as np
import torch

from ..datasets.transforms.face_augment import mirror_face
from ..models.segmentors.face_tta_model import FaceSegTTAModel, mark_mirrored
from .crop_parser import labels_from_probs, needs_dense_points, points_for_model
from .guided_refine import check_refine, guided_probs


class PipelineCropParser:
    """Label maps of face crops by the packed test pipeline (module docstring).

    Args:
        tta (FaceSegTTAModel): the segmentor (``tta.module``) and the left/right pairs.
        pipeline (Callable): the built test pipeline (a dict with ``img`` and
            ``face_landmarks`` -> packed ``inputs`` / ``data_samples``).
        collate (Callable): the test data loader's collate function.
    """

    def __init__(self, tta: FaceSegTTAModel, pipeline: Callable, collate: Callable):
        self.tta = tta
        self.pipeline = pipeline
        self.collate = collate
        self.dense = needs_dense_points(getattr(pipeline, 'transforms', []))

    def _packed(self, crop: np.ndarray, points: np.ndarray) -> dict:
        return self.pipeline(dict(img=crop, face_landmarks=points))

    @torch.no_grad()
    def probs(self, crop: np.ndarray, points: np.ndarray, flip: bool = True) -> torch.Tensor:
        """``(K, h, w)`` class probabilities of a crop, as :meth:`CropParser.probs`."""
        points = points_for_model(points, self.dense)
        samples = [self._packed(crop, points)]
        if flip:
            mirrored = self._packed(*mirror_face(crop, points))
            mark_mirrored(mirrored['data_samples'])
            samples.append(mirrored)
        preds = self.tta.module.test_step(self.collate(samples))
        (pred,) = self.tta.merge_preds([preds])
        return pred.seg_logits.data.float().softmax(dim=0)

    def __call__(
        self, crop: np.ndarray, points: np.ndarray, flip: bool = True, refine: str = 'none'
    ) -> np.ndarray:
        """``(h, w)`` uint8 labels of the crop (arguments as :meth:`probs`).

        ``refine='guided'``: the probabilities refined by the guided filter first, its
        coefficients fitted on a 220 px grid (:func:`~rednet_mmseg.apis.guided_refine.
        guided_probs`; the hot path fits them on the network's own grid).
        """
        probs = self.probs(crop, points, flip)
        if check_refine(refine) == 'guided':
            probs = guided_probs(probs, crop)
        return labels_from_probs(probs)
