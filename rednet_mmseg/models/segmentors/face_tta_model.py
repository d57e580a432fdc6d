"""Test-time mirroring for faces: mmseg's ``SegTTAModel`` with left and right swapped back.

A face's mirror image is another face, with its left eye where the right one was. mmseg
1.2.2's ``EncoderDecoder.postprocess_result`` flips a mirrored prediction's scores back, but
their left/right class channels stay exchanged, so ``SegTTAModel`` would average the left eye's
score with the right eye's. :class:`FaceSegTTAModel` swaps those channels back first.

Mirroring has one meaning everywhere: **the mirror face, with its own prior** (Eq. 5 rendered
from its mirrored 5 points: its own neighbours in the bank, not the original's prior flipped).
``tools/test.py --tta`` mirrors before ``LoadFacePrior`` (:func:`face_tta_pipeline`); the
inferencer's parse path and its hot path mirror the face crop and its points
(``datasets.transforms.face_augment.mirror_face``). :func:`mirror_batch` mirrors packed batches
without a prior only (mmseg's inference path of configs without landmarks), where the two
readings agree.
"""

from typing import List, Optional, Sequence

import torch
from mmengine.structures import PixelData
from mmseg.models import SegTTAModel
from mmseg.registry import MODELS

from ...datasets.transforms.face_augment import mirror_order

#: Transforms of a test pipeline that come after the mirroring in :func:`face_tta_pipeline`:
#: the ground truth stays as it is (the merged prediction is scored against the original).
_AFTER_FLIP = ('LoadAnnotations', 'PackSegInputs', 'PackFaceInputs')


def pairs_from_names(classes: Sequence[str]) -> List[tuple]:
    """Left/right pairs read from class names (``left_eye`` / ``right_eye``, ``l_eye`` / ``r_eye``).

    Examples:
        >>> pairs_from_names(['background', 'l_brow', 'r_brow', 'left_eye', 'right_eye', 'nose'])
        [(1, 2), (3, 4)]
    """
    index = {name: i for i, name in enumerate(classes)}
    pairs = []
    for i, name in enumerate(classes):
        for left, right in (('left', 'right'), ('l_', 'r_')):
            if name.startswith(left) and index.get(right + name[len(left) :], -1) > i:
                pairs.append((i, index[right + name[len(left) :]]))
    return pairs


def config_flip_pairs(
    cfg, pairs: Optional[Sequence] = None, classes: Optional[Sequence[str]] = None
) -> List[tuple]:
    """Left/right class pairs of a config: ``pairs`` if given, else its training flip's.

    The ``swap_seg_labels`` of the first training transform that has them; without one, the
    pairs named in ``classes`` (:func:`pairs_from_names`; ``[]`` if none).
    """
    if pairs is not None:
        return [tuple(p) for p in pairs]
    pipeline = cfg.get('train_dataloader', {}).get('dataset', {}).get('pipeline', [])
    found = [t['swap_seg_labels'] for t in pipeline if t.get('swap_seg_labels')]
    if found:
        return [tuple(p) for p in found[0]]
    return pairs_from_names(classes or ())


def face_tta_pipeline(test_pipeline: Sequence[dict], flip_pairs: Sequence) -> List[dict]:
    """The test pipeline with each image also mirrored: mmseg's ``tta_pipeline`` for faces.

    The steps before the mirroring run once (image, landmarks); then ``TestTimeAug`` makes two
    samples, as is and mirrored (``FaceRandomFlip``: image and 5 points), and each goes through
    the rest on its own: with the adaptive prior, ``LoadFacePrior`` renders the mirror face's
    own prior from its mirrored points (when ``LoadFaceLandmarks`` comes before it; a prior
    rendered from a landmark file's points is flipped with the image instead, its left/right
    channels swapped by ``PackFaceInputs``). The ground truth is loaded after the mirroring,
    so both samples are packed with the unflipped one. Mirroring before the face rescale is
    exact: ``postprocess_result`` flips the scores back before resizing them, and a flip
    commutes with a half-pixel-centred resize.
    """
    types = [t['type'] for t in test_pipeline]
    after = _AFTER_FLIP
    if 'LoadFacePrior' in types and 'LoadFaceLandmarks' in types[: types.index('LoadFacePrior')]:
        after = ('LoadFacePrior',) + _AFTER_FLIP
    at = next((i for i, t in enumerate(types) if t in after), len(types))
    flips = [
        dict(
            type='FaceRandomFlip', prob=p, direction='horizontal', swap_seg_labels=list(flip_pairs)
        )
        for p in (0.0, 1.0)
    ]
    tail = [[dict(t)] for t in test_pipeline[at:]]
    return [dict(t) for t in test_pipeline[:at]] + [
        dict(type='TestTimeAug', transforms=[flips, *tail])
    ]


def mark_mirrored(sample) -> None:
    """Mark a data sample as flipped horizontally, as ``RandomFlip`` records it.

    ``postprocess_result`` then flips its scores back and :class:`FaceSegTTAModel` swaps its
    left/right classes back.
    """
    sample.set_metainfo(dict(flip=True, flip_direction='horizontal'))


def is_mirrored(sample) -> bool:
    """Whether a data sample was flipped horizontally (its metainfo says so)."""
    meta = sample.metainfo
    return bool(meta.get('flip')) and meta.get('flip_direction') == 'horizontal'


def mirror_batch(data: dict) -> dict:
    """The horizontally mirrored copy of a packed test batch without a prior.

    Args:
        data (dict): ``inputs`` (list of ``(C, H, W)`` tensors) and ``data_samples`` (list of
            ``SegDataSample``), as the test pipeline and ``pseudo_collate`` make them.

    Returns:
        dict: the same structure: inputs flipped along the width, samples marked
        ``flip=True, flip_direction='horizontal'`` so that ``postprocess_result`` flips the
        scores back.

    Raises:
        ValueError: a sample carries a ``face_prior``: the mirror face's prior is rendered from
            its mirrored points (module docstring), which a packed batch no longer has.
    """
    samples = []
    for sample in data['data_samples']:
        if 'face_prior' in sample:
            raise ValueError(
                'mirror_batch: the batch carries a face prior; mirror the face before '
                'LoadFacePrior (face_tta_pipeline, FaceParsingInferencer.parse_image) so that '
                'the mirror face gets its own prior'
            )
        sample = sample.clone()
        mark_mirrored(sample)
        samples.append(sample)
    return dict(inputs=[x.flip(-1) for x in data['inputs']], data_samples=samples)


@MODELS.register_module()
class FaceSegTTAModel(SegTTAModel):
    """``SegTTAModel`` that swaps left/right classes back in mirrored predictions.

    The merged prediction averages the class probabilities of all augmentations (as
    ``SegTTAModel``), with the channels of every horizontally flipped one reordered by
    ``flip_pairs`` first. It is returned on the first augmentation's sample (its metainfo and
    ground truth), with ``pred_sem_seg`` ``(1, H, W)`` and ``seg_logits`` the log of the mean
    probabilities ``(K, H, W)``.

    Args:
        module (dict | nn.Module): the segmentor.
        flip_pairs (Sequence): left/right class pairs (the ``swap_seg_labels`` of the training
            flip, e.g. ``[(2, 3), (4, 5)]`` for Helen). Default: none (plain averaging).
        data_preprocessor (dict, optional): as ``BaseTTAModel``.
    """

    def __init__(self, module, flip_pairs: Sequence = (), data_preprocessor: Optional[dict] = None):
        super().__init__(module, data_preprocessor)
        self.flip_pairs = [tuple(p) for p in flip_pairs]

    def merge_preds(self, data_samples_list: List[list]) -> list:
        """One prediction per image from its augmentations' predictions."""
        merged = []
        for samples in data_samples_list:
            probs = 0
            for sample in samples:
                logits = sample.seg_logits.data
                if is_mirrored(sample):
                    logits = logits[mirror_order(self.flip_pairs, logits.shape[0])]
                probs = probs + logits.softmax(dim=0)
            probs = probs / len(samples)
            out = samples[0]
            out.seg_logits = PixelData(data=torch.log(probs))
            out.pred_sem_seg = PixelData(data=probs.argmax(dim=0, keepdim=True))
            merged.append(out)
        return merged


def face_tta_config(cfg):
    """``tools/test.py --tta``: the config's ``tta_pipeline`` / ``tta_model``, or face mirroring.

    Without a ``tta_pipeline`` the test pipeline is mirrored (``face_tta_pipeline``); mmseg's
    default ``SegTTAModel`` becomes ``FaceSegTTAModel`` with the config's left/right pairs
    (mmseg's would average a mirrored left eye with the right one).
    """
    from mmseg.registry import DATASETS

    dataset = DATASETS.get(cfg.test_dataloader.dataset.get('type', ''))
    pairs = config_flip_pairs(cfg, classes=getattr(dataset, 'METAINFO', {}).get('classes'))
    tta_model = dict(cfg.get('tta_model') or dict(type='FaceSegTTAModel'))
    if tta_model['type'] in ('SegTTAModel', 'mmseg.SegTTAModel', 'FaceSegTTAModel'):
        tta_model = dict(type='FaceSegTTAModel', flip_pairs=tta_model.get('flip_pairs', pairs))
    if 'tta_pipeline' in cfg:
        pipeline = cfg.tta_pipeline
    else:
        pipeline = face_tta_pipeline(cfg.test_dataloader.dataset.pipeline, pairs)
    cfg.test_dataloader.dataset.pipeline = pipeline
    tta_model['module'] = cfg.model
    cfg.model = tta_model
    return cfg
