"""The hot path of face parsing: one face crop (and its mirror) to a label map.

:class:`~rednet_mmseg.apis.FaceParsingInferencer` parses each face crop with
:class:`CropParser` when the config's test pipeline is the face one (``LoadFaceLandmarks``,
``LoadFacePrior``, ``FaceCropResize(mode='rescale')``, packing): the same transforms make the
network's input and the prior (Eq. 5), and then, instead of packing data samples, collating,
running the data preprocessor, ``predict`` and ``FaceSegTTAModel``'s merge, a few tensor
operations do what those do:

1. the crop and its mirror image, each with its own prior (the mirror face's own neighbours in
   the bank), go through the network as one batch of two
   (:meth:`FaceParsingExportModel.scores <rednet_mmseg.deployment.onnx_export.
   FaceParsingExportModel.scores>`: normalisation, encoder-decoder, Eq. 6-8, logit adjustment);
2. the scores are resized to the crop (bilinear, as ``postprocess_result``), the mirror's flipped
   back with its left/right channels swapped back, the two softmaxes averaged, argmax.

With ``scales`` (a multi-scale test, not in the packed pipeline) step 1 runs once per scale and
the probabilities are averaged on the first scale's grid before step 2.

Label maps equal the reference path's (the packed pipeline, ``FaceParsingInferencer(
fast_path=False)``) except where two classes tie to float rounding
(``tests/test_apis/test_crop_parser.py``).
"""

import copy
from typing import List, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from ..datasets.transforms.face_augment import mirror_face, mirror_order
from ..datasets.transforms.formatting import prior_distribution
from ..deployment.onnx_export import FaceParsingExportModel
from .guided_refine import check_refine, grey, refine_on_grid

#: Test-pipeline steps that make the network's input (run as they are).
INPUT_STEPS = ('LoadFaceLandmarks', 'LoadFacePrior', 'FaceCropResize')
#: Test-pipeline steps the hot path does itself or does not need (ground truth, packing).
SKIPPED_STEPS = (
    'InferencerLoader',
    'LoadImageFromFile',
    'LoadAnnotations',
    'PackSegInputs',
    'PackFaceInputs',
)


def needs_dense_points(transforms: Sequence) -> bool:
    """Whether a built test pipeline takes the 68 face points.

    That is, it has ``LoadFaceLandmarks(dense=True)`` (the dense prior).
    """
    return any(
        type(t).__name__ == 'LoadFaceLandmarks' and getattr(t, 'dense', False) for t in transforms
    )


def points_for_model(points: np.ndarray, dense: bool) -> np.ndarray:
    """The points a face's model takes, from a face's ``(5, 2)`` or ``(73, 2)`` points.

    ``(73, 2)`` is the 5 key points followed by the detector's 68 (``Face.points68``). A model
    without the dense prior takes the 5; one with it takes all 73, and 5 alone are an error.
    """
    points = np.asarray(points, np.float32)
    if points.shape not in ((5, 2), (73, 2)):
        raise ValueError(f'face points: expected (5, 2) or (73, 2), got {points.shape}')
    if not dense:
        return points[:5]
    if len(points) != 73:
        raise ValueError(
            "this model's dense prior needs each face's 68 points as well as its 5 key points; "
            'faces found by FaceLandmarkDetector carry them (points68), given 5-point landmarks '
            'do not: let the detector find the faces, or use a 5-point model (fast)'
        )
    return points


class CropParser:
    """Label maps of face crops by the hot path (module docstring).

    Args:
        segmentor (nn.Module): the inferencer's model (its BatchNorm folding and memory format
            are used as they are).
        transforms (Sequence): the inferencer's built test pipeline transforms; see
            :meth:`supports`.
        flip_pairs (Sequence[tuple]): left/right class pairs swapped back in the mirror's scores.
        backend (str): what runs the network step: ``'pytorch'`` (default) or
            ``'onnxruntime'`` (the same graph exported once with dynamic sizes and cached,
            :mod:`rednet_mmseg.deployment.onnxruntime_scores`; the same scores to float
            rounding; not faster on 2 CPU cores: docs/en/inference.md).
        scales (Sequence[float]): face scales to parse each crop at, relative to the
            config's (``FaceCropResize`` face ratios times each): with more than one, the
            class probabilities of every scale (and mirror) are averaged on the first scale's
            grid (:func:`check_scales`). Default: ``(1.0,)``.
    """

    def __init__(
        self,
        segmentor,
        transforms: Sequence,
        flip_pairs: Sequence,
        backend: str = 'pytorch',
        scales: Sequence[float] = (1.0,),
    ):
        if not self.supports(transforms):
            raise ValueError(
                'CropParser: the test pipeline has steps besides '
                f'{INPUT_STEPS + SKIPPED_STEPS}: {[type(t).__name__ for t in transforms]}'
            )
        self.steps = [t for t in transforms if type(t).__name__ in INPUT_STEPS]
        self.scales = check_scales(scales)
        #: the input steps at each scale (FaceCropResize's face ratios scaled)
        self.scale_steps = [scaled_steps(self.steps, s) for s in self.scales]
        #: the model takes the 68 face points too (the dense prior)
        self.dense = needs_dense_points(self.steps)
        self.with_prior = any(type(t).__name__ == 'LoadFacePrior' for t in self.steps)
        #: the network step as a PyTorch module (exported, FLOP-counted)
        self.export_model = FaceParsingExportModel(segmentor, with_prior=self.with_prior)
        #: what runs it: ``net.scores(images, priors)``
        self.net = self.export_model
        if backend == 'onnxruntime':
            from ..deployment.onnxruntime_scores import OnnxRuntimeScores

            self.net = OnnxRuntimeScores.from_model(self.export_model, segmentor.num_classes)
        elif backend != 'pytorch':
            raise ValueError(f"backend must be 'pytorch' or 'onnxruntime', got {backend!r}")
        self.flip_pairs = [tuple(p) for p in flip_pairs]

    @staticmethod
    def supports(transforms: Sequence) -> bool:
        """Whether a built test pipeline is one that the hot path reproduces.

        Only :data:`INPUT_STEPS` and :data:`SKIPPED_STEPS`, with ``FaceCropResize`` in
        ``'rescale'`` mode (predictions map back to the crop).
        """
        names = [type(t).__name__ for t in transforms]
        crops = [t for t in transforms if type(t).__name__ == 'FaceCropResize']
        return (
            set(names) <= set(INPUT_STEPS + SKIPPED_STEPS)
            and len(crops) == 1
            and crops[0].mode == 'rescale'
            and 'LoadFaceLandmarks' in names
        )

    def _inputs(self, crop: np.ndarray, points: np.ndarray, steps: Sequence):
        """``(3, H, W)`` BGR float image, ``(K, H, W)`` prior (or None), at the network's scale."""
        results = dict(img=crop, face_landmarks=points, img_shape=crop.shape[:2])
        for step in steps:
            results = step(results)
        img = torch.from_numpy(np.ascontiguousarray(results['img'].transpose(2, 0, 1))).float()
        prior = None
        if self.with_prior:
            prior = prior_distribution(results['gt_prior'])
            prior = torch.from_numpy(np.ascontiguousarray(prior.transpose(2, 0, 1)))
        return img, prior

    def _network_scores(self, crop: np.ndarray, points: np.ndarray, flip: bool) -> torch.Tensor:
        """``(1 or 2, K, h', w')`` scores of the crop (and its mirror) on the network's grid.

        With several :attr:`scales`, the log of the scales' mean probabilities on the first
        scale's grid (scores whose softmax is that mean).
        """
        points = points_for_model(points, self.dense)
        crop = np.ascontiguousarray(crop)
        mirror = mirror_face(crop, points) if flip else None
        if len(self.scale_steps) == 1:
            return self._scores_at(self.scale_steps[0], crop, points, mirror)
        total = None
        for steps in self.scale_steps:
            scores = self._scores_at(steps, crop, points, mirror)
            if total is None:
                total = scores.softmax(dim=1)
            else:
                total += F.interpolate(
                    scores, size=total.shape[-2:], mode='bilinear', align_corners=False
                ).softmax(dim=1)
        return (total / len(self.scale_steps)).clamp_min(torch.finfo(total.dtype).tiny).log()

    def _scores_at(self, steps, crop, points, mirror) -> torch.Tensor:
        """The network's scores of the crop (and ``mirror``: its mirror crop and points)."""
        pairs: List = [self._inputs(crop, points, steps)]
        if mirror is not None:
            pairs.append(self._inputs(*mirror, steps))
        images = torch.stack([img for img, _ in pairs])
        priors = torch.stack([p for _, p in pairs]) if self.with_prior else None
        return self.net.scores(images, priors)

    def _merge(self, probs: torch.Tensor) -> torch.Tensor:
        """``(K, h, w)`` from ``(1 or 2, K, h, w)``: the mirror flipped, swapped back, averaged.

        The mirror's left/right channels are swapped back before the mean with the face's.
        """
        if probs.shape[0] == 1:
            return probs[0]
        mirrored = probs[1, mirror_order(self.flip_pairs, probs.shape[1])].flip(-1)
        return (probs[0] + mirrored) / 2

    @torch.no_grad()
    def scores(self, crop: np.ndarray, points: np.ndarray, flip: bool = True) -> torch.Tensor:
        """``(1 or 2, K, h, w)`` scores of the crop (and its mirror face), at the crop's size.

        Arguments as :meth:`probs`. The mirror's scores are as the network gives them (not
        flipped back).
        """
        h, w = crop.shape[:2]
        scores = self._network_scores(crop, points, flip)
        return F.interpolate(scores, size=(h, w), mode='bilinear', align_corners=False)

    @torch.no_grad()
    def probs(self, crop: np.ndarray, points: np.ndarray, flip: bool = True) -> torch.Tensor:
        """``(K, h, w)`` class probabilities of a ``(h, w, 3)`` uint8 BGR crop.

        Args:
            crop (np.ndarray): the face crop.
            points (np.ndarray): ``(5, 2)`` key points in the crop, or ``(73, 2)``: the 5 and
                the 68 points (:func:`points_for_model`).
            flip (bool): average with the mirror face's prediction. Default: True.
        """
        return self._merge(self.scores(crop, points, flip).softmax(dim=1))

    @torch.no_grad()
    def refined_probs(self, crop: np.ndarray, points: np.ndarray, flip: bool = True):
        """``(K, h, w)`` probabilities of the crop refined by the guided filter.

        The filter's coefficients are fitted on the network's own grid, where the face's and
        its mirror's probabilities are made and averaged, with the crop's grey levels resized to
        it as the guide, and applied to the crop's own grey levels
        (:mod:`~rednet_mmseg.apis.guided_refine`); the probabilities themselves are never
        resized to the crop. Arguments as :meth:`probs`.
        """
        probs = self._merge(self._network_scores(crop, points, flip).softmax(dim=1))
        return refine_on_grid(probs, grey(crop))

    def __call__(
        self, crop: np.ndarray, points: np.ndarray, flip: bool = True, refine: str = 'none'
    ) -> np.ndarray:
        """``(h, w)`` uint8 labels of the crop (arguments as :meth:`probs`).

        ``refine='guided'``: the argmax of :meth:`refined_probs`. Without refinement or the
        mirror the argmax of the scores is taken directly: the softmax keeps each pixel's order
        of classes, and at the crop's resolution it costs about 6 ms of the 65 of a large face in
        a 640x480 frame.
        """
        if check_refine(refine) == 'guided':
            return labels_from_probs(self.refined_probs(crop, points, flip))
        if not flip:
            return labels_from_probs(self.scores(crop, points, flip=False)[0])
        return labels_from_probs(self.probs(crop, points, flip))


#: The largest face scale :func:`check_scales` accepts: the network's input grows with its
#: square (at 4, a 880 px side for the shipped models' 220, about 16x the memory and time).
MAX_SCALE = 4.0


def check_scales(scales) -> tuple:
    """``scales`` as a tuple of floats in ``(0, MAX_SCALE]`` (at least one), or a clear error.

    >>> check_scales([1, 1.25])
    (1.0, 1.25)
    """
    try:
        out = tuple(float(s) for s in scales)
    except (TypeError, ValueError):
        raise ValueError(f'scales must be a sequence of numbers, got {scales!r}') from None
    if not out or not all(np.isfinite(s) and s > 0 for s in out):
        raise ValueError(f'scales must be one or more positive numbers, got {scales!r}')
    if max(out) > MAX_SCALE:
        raise ValueError(
            f'scales must be at most {MAX_SCALE:g} (the network input grows with the square of '
            f'the scale), got {scales!r}'
        )
    return out


def scaled_steps(steps: Sequence, scale: float) -> list:
    """The input steps with ``FaceCropResize``'s face ratios times ``scale`` (a copy of it).

    The face box takes ``scale`` times the share of the network's input it takes in the
    config, so the crop reaches the network ``scale`` times larger. ``scale`` 1: ``steps``.
    """
    if scale == 1.0:
        return list(steps)
    out = []
    for step in steps:
        if type(step).__name__ == 'FaceCropResize':
            step = copy.copy(step)
            step.face_ratios = tuple(r * scale for r in step.face_ratios)
        out.append(step)
    return out


def labels_from_probs(probs: torch.Tensor) -> np.ndarray:
    """``(h, w)`` uint8 argmax of ``(K, h, w)`` class probabilities (the first class on ties).

    ``max(0)``'s indices: on CPU (torch 2.14) 8x faster than ``argmax(0)`` and 1.7x faster than
    an argmax over a contiguous innermost axis (1.8 vs 14.6 / 3.2 ms for 11x300x290, 2 threads),
    with the same answer, ties included (``tests/test_apis/test_crop_parser.py``).
    """
    return probs.max(0).indices.numpy().astype(np.uint8)
