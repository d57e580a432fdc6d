"""How the face prior travels through the data pipeline (one home for the convention).

``LoadFacePrior`` renders the prior (paper Eq. 5) from the image's 5 key points (``gt_keypoints``
when ``LoadFaceLandmarks`` put them there, so they are in the frame of the transforms before it)
and registers it in ``seg_fields``, so the transforms after it move it with the label map;
``PackFaceInputs`` restores it. Not every transform can move a probability map:

- **After** ``LoadFacePrior`` only transforms that move it exactly or bilinearly are allowed
  (:data:`MOVES_PRIOR`: mmseg's crop and flip, our ``FaceCropResize``). mmseg's resizes and
  rotations resample ``seg_fields`` nearest-neighbour (blocky where they upscale), mosaics mix
  images, ``PackSegInputs`` drops it: those are refused when the pipeline is built, by name
  (:func:`check_prior_pipeline`). Put resizes *before* ``LoadFacePrior``: the prior is then
  rendered at the resized resolution from the key points they moved.
- **Before** it, a geometric transform must move ``gt_keypoints`` correctly
  (:data:`MOVES_KEYPOINTS`: mmcv's resizes, ``FaceCropResize``, ``FaceRandomFlip``); mmseg's
  ``RandomCrop``, ``RandomRotate`` and ``RandomFlip`` leave the points behind and are refused
  there.

While in ``seg_fields`` the prior is stored as ``prior - 1`` (values in ``[-1, 0]``, never a class
index), so the value-based label swapping of ``RandomFlip(swap_seg_labels=...)`` cannot alter
it; a pixel whose stored value lies outside ``[-1, 0]`` was filled in by a transform (a pad or
rotation border, 255) and restores to "no prior" (0 for every class). A pad value of 0 would
read as a prior of 1 for every class and is refused when the pipeline is built.
"""

import functools
import inspect

import numpy as np

#: The stored value of "no prior" (prior 0), e.g. outside the image after a crop.
STORED_NO_PRIOR = -1.0
#: Stored values this far outside ``[-1, 0]`` are fills, not a prior (resampling rounds ~1e-7).
_FILL_TOLERANCE = 1e-3

#: Transforms that may come after ``LoadFacePrior``: they move ``seg_fields`` exactly (crop,
#: flip; a cut-out's fill restores to "no prior") or bilinearly (``FaceCropResize``), or read
#: the label map only.
MOVES_PRIOR = (
    'FaceCropResize',
    'RandomCrop',
    'RandomFlip',
    'FaceRandomFlip',
    'RandomCutOut',
    'GenerateEdge',
    'LoadAnnotations',
    'LoadDepthAnnotation',
    'PackFaceInputs',
    'SoftFaceLabels',
    'TestTimeAug',
)
#: Geometric transforms that may come between ``LoadFaceLandmarks`` and ``LoadFacePrior``:
#: they move ``gt_keypoints`` with the image (mmcv's resizes scale them) or move nothing
#: (``SoftFaceLabels`` adds a map).
MOVES_KEYPOINTS = (
    'Resize',
    'RandomResize',
    'RandomChoiceResize',
    'FaceCropResize',
    'FaceRandomFlip',
    'Pad',
    'LoadAnnotations',
    'LoadDepthAnnotation',
    'GenerateEdge',
    'SoftFaceLabels',
)
_WHY = {
    'Resize': 'resamples seg maps nearest-neighbour (blocky where it upscales)',
    'RandomResize': 'resamples seg maps nearest-neighbour (blocky where it upscales)',
    'RandomChoiceResize': 'resamples seg maps nearest-neighbour (blocky where it upscales)',
    'ResizeShortestEdge': 'resamples seg maps nearest-neighbour (blocky where it upscales)',
    'ResizeToMultiple': 'resamples seg maps nearest-neighbour (blocky where it upscales)',
    'SegRescale': 'resamples seg maps nearest-neighbour',
    'RandomRotate': 'rotates seg maps nearest-neighbour',
    'RandomRotFlip': 'rotates and flips seg maps without swapping left and right',
    'RandomMosaic': 'mixes the maps of four images',
    'Albu': 'applies arbitrary albumentations to the maps',
    'PackSegInputs': 'drops the prior (use PackFaceInputs)',
    'CenterCrop': "crops gt_seg_map only, not the other seg maps (mmcv's)",
    'Pad': "pads gt_seg_map only, not the other seg maps (mmcv's; the model's data "
    'preprocessor pads the packed prior)',
}


def store_prior(prior: np.ndarray) -> np.ndarray:
    """``(H, W, K)`` prior -> its pipeline form (``prior - 1``)."""
    return prior + STORED_NO_PRIOR


def restore_prior(stored: np.ndarray) -> np.ndarray:
    """The pipeline form -> the ``(H, W, K)`` prior in ``[0, 1]``.

    Resampling the stored form can overshoot ``-1`` by a rounding (-1.2e-7 seen after a crop and
    resize), which restored is a negative probability, and its log in the refinement a NaN loss:
    clipped. A value outside ``[-1, 0]`` (a transform's fill, e.g. 255 on a rotation border) is
    no prior.

    >>> restore_prior(np.array([-1.0, -0.25, 0.0, 255.0], np.float32)).tolist()
    [0.0, 0.75, 1.0, 0.0]
    """
    filled = (stored < STORED_NO_PRIOR - _FILL_TOLERANCE) | (stored > _FILL_TOLERANCE)
    return np.where(filled, 0.0, np.clip(stored - STORED_NO_PRIOR, 0.0, 1.0)).astype(
        np.result_type(stored, np.float32)
    )


def is_stored_prior(arr: np.ndarray) -> bool:
    """Whether a ``seg_fields`` map is a stored prior (float) rather than a label map."""
    return np.issubdtype(arr.dtype, np.floating)


def _writes_seg_maps(transform) -> bool:
    """Whether a transform's code (its class hierarchy) reads or writes ``seg_fields``."""
    return _class_writes_seg_maps(type(transform))


@functools.lru_cache(maxsize=None)
def _class_writes_seg_maps(transform_cls) -> bool:
    from mmcv.transforms import BaseTransform

    for cls in transform_cls.__mro__:
        if cls in (BaseTransform, object):
            continue
        try:
            source = inspect.getsource(cls)
        except (OSError, TypeError):
            return True  # unknown: assume it does
        if 'seg_fields' in source or 'gt_seg_map' in source:
            return True
    return False


def _pad_value(transform):
    for name in ('seg_pad_val', 'seg_fill_in'):
        value = getattr(transform, name, None)
        if value is not None:
            return value
    pad_val = getattr(transform, 'pad_val', None)
    return pad_val.get('seg') if isinstance(pad_val, dict) else None


def check_prior_pipeline(transforms, where: str = 'pipeline') -> None:
    """Refuse a pipeline in which a transform would move the prior wrongly; name it.

    Args:
        transforms (list): the built transforms (``Compose.transforms``), in order.
        where (str): what to call the pipeline in the message (the data set, the config).

    Raises:
        ValueError: naming the transform, its position and what it would do to the prior.
    """
    names = [type(t).__name__ for t in transforms]
    if 'SoftFaceLabels' in names:  # soft labels travel in the prior's form: the same rules after
        at = names.index('SoftFaceLabels')
        for i, t in enumerate(transforms[at + 1 :], start=at + 1):
            if not type(t).__name__.startswith('Load'):  # loaders add maps, move none
                _check_after(t, i, where, 'SoftFaceLabels')
    if 'LoadFacePrior' not in names:
        # test-time mirroring (face_tta_pipeline): each branch of TestTimeAug renders its prior
        for i, (name, t) in enumerate(zip(names, transforms)):
            if name == 'TestTimeAug':
                for branch in getattr(t, 'subroutines', []):
                    inner = list(getattr(branch, 'transforms', []))
                    check_prior_pipeline(transforms[:i] + inner, f'{where}, TestTimeAug')
        return
    at = names.index('LoadFacePrior')
    has_points = 'LoadFaceLandmarks' in names[:at]
    for i, (name, t) in enumerate(zip(names, transforms)):
        if i == at:
            continue
        if i < at:
            if not _writes_seg_maps(t) or name.startswith('Load'):
                continue
            if name in MOVES_KEYPOINTS and (has_points or name in ('Pad', 'GenerateEdge')):
                continue
            why = (
                'moves the image but not the 5 key points the prior is rendered from'
                if has_points
                else 'moves the image, but the prior is rendered from the points of the '
                'landmark file (add LoadFaceLandmarks before it so that the points move too)'
            )
            raise ValueError(
                f'{where}: {name} (step {i}) before LoadFacePrior {why}; put it after '
                'LoadFacePrior or use a face-aware transform (FaceCropResize, FaceRandomFlip)'
            )
        _check_after(t, i, where)


def _check_after(t, i: int, where: str, after: str = 'LoadFacePrior') -> None:
    """Refuse transform ``t`` (step ``i``) after ``after`` if it would corrupt the stored map.

    ``after``: ``LoadFacePrior`` (the prior) or ``SoftFaceLabels`` (the soft labels).
    """
    name = type(t).__name__
    what = 'the prior' if after == 'LoadFacePrior' else 'the soft labels'
    if name == 'TestTimeAug':  # each of its branches runs after LoadFacePrior
        for branch in getattr(t, 'subroutines', []):
            for j, inner in enumerate(getattr(branch, 'transforms', [])):
                _check_after(inner, j, f'{where}, TestTimeAug', after)
        return
    if not _writes_seg_maps(t):
        return
    if name not in MOVES_PRIOR:
        why = _WHY.get(name, 'is not known to move a probability map correctly')
        hint = (
            'put it before LoadFacePrior (with LoadFaceLandmarks first, the prior is rendered '
            'from the points it moved) or use FaceCropResize'
            if after == 'LoadFacePrior'
            else f'put it before {after} or use FaceCropResize'
        )
        raise ValueError(
            f'{where}: {name} (step {i}) after {after} {why}, which would corrupt {what}; {hint}'
        )
    fill = _pad_value(t)
    if fill is not None and STORED_NO_PRIOR <= float(fill) <= 0:
        raise ValueError(
            f'{where}: {name} (step {i}) after {after} fills seg maps with {fill}, '
            'which reads as a probability of 1 for every class; use the default (255)'
        )
