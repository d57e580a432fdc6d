"""Every registered transform that touches seg maps moves the prior correctly or is refused.

The prior of a sample is made equal to its label map (one-hot, no prior on ignored pixels), so
a transform that moves it correctly keeps it a distribution that agrees with the moved labels;
one that would corrupt it (nearest-neighbour resampling, mixing images, dropping it) must be
refused by name when the pipeline is built (``check_prior_pipeline``).
"""

import inspect

import numpy as np
import pytest
from mmcv.transforms import BaseTransform
from mmcv.transforms.builder import TRANSFORMS as MMCV_TRANSFORMS
from mmseg.registry import TRANSFORMS

from rednet_mmseg.datasets.transforms.prior_storage import (
    MOVES_PRIOR,
    _writes_seg_maps,
    check_prior_pipeline,
    restore_prior,
    store_prior,
)


class LoadFacePrior:  # stands for the real one: only its name and place matter to the check
    pass


def _registered():
    """Every transform class of mmseg's, mmcv's and our registries, by name."""
    found = {}
    for registry in (TRANSFORMS, TRANSFORMS.parent, MMCV_TRANSFORMS):
        while registry is not None:
            for name, cls in registry.module_dict.items():
                if inspect.isclass(cls) and issubclass(cls, BaseTransform):
                    found.setdefault(name, cls)
            registry = registry.parent
    return found


SEG_TRANSFORMS = sorted(
    name for name, cls in _registered().items() if _writes_seg_maps(cls.__new__(cls))
)
#: Arguments to build the transforms that are run (those that may follow LoadFacePrior).
KWARGS = dict(
    FaceCropResize=dict(scale=(40, 40)),
    RandomCrop=dict(crop_size=(20, 24)),
    CenterCrop=dict(crop_size=(20, 24)),
    RandomFlip=dict(prob=1.0, swap_seg_labels=[(2, 3)]),
    FaceRandomFlip=dict(prob=1.0, swap_seg_labels=[(2, 3)]),
    RandomCutOut=dict(prob=1.0, n_holes=1, cutout_shape=(8, 8), seg_fill_in=255),
    GenerateEdge=dict(),
)
NOT_RUN = (
    'LoadAnnotations',
    'LoadDepthAnnotation',
    'PackFaceInputs',
    'SoftFaceLabels',  # adds a map, moves none
    'TestTimeAug',
)


def _sample(rng):
    labels = np.kron(rng.integers(0, 4, (4, 5)), np.ones((8, 8))).astype(np.uint8)  # parts
    labels[:4] = 255  # ignored pixels carry no prior
    prior = np.eye(4, dtype=np.float32)[np.minimum(labels, 3)]
    prior[labels == 255] = 0
    points = np.array([[14, 12], [26, 12], [20, 18], [15, 24], [25, 24]], np.float32)
    kp = np.concatenate([points, np.ones((5, 1), np.float32)], 1)[None]
    return dict(
        img=rng.integers(0, 255, (32, 40, 3)).astype(np.uint8),
        gt_seg_map=labels,
        gt_prior=store_prior(prior),
        seg_fields=['gt_seg_map', 'gt_prior'],
        gt_keypoints=kp,
        img_shape=(32, 40),
        ori_shape=(32, 40),
        prior_flipped=False,
    )


def test_the_list_covers_the_usual_transforms():
    for name in ('Resize', 'RandomResize', 'RandomCrop', 'RandomFlip', 'RandomRotate', 'Pad'):
        assert name in SEG_TRANSFORMS


@pytest.mark.parametrize('name', SEG_TRANSFORMS)
def test_after_load_face_prior_handled_or_refused(name):
    cls = _registered()[name]
    if name == 'LoadFacePrior':
        return
    if name not in MOVES_PRIOR:  # refused when the pipeline is built, by name
        transform = cls.__new__(cls)
        with pytest.raises(ValueError, match=rf'{name} \(step 1\) after LoadFacePrior'):
            check_prior_pipeline([LoadFacePrior(), transform], 'test pipeline')
        return
    if name in NOT_RUN:  # loaders and packers: allowed, they do not move maps
        check_prior_pipeline([LoadFacePrior(), cls.__new__(cls)], 'test pipeline')
        return
    transform = cls(**KWARGS[name])
    check_prior_pipeline([LoadFacePrior(), transform], 'test pipeline')
    rng = np.random.default_rng(0)
    out = transform(_sample(rng))
    prior = restore_prior(out['gt_prior'])
    labels = out['gt_seg_map']
    assert prior.shape[:2] == labels.shape == out['img'].shape[:2]
    assert prior.min() >= 0 and prior.sum(-1).max() <= 1 + 1e-5  # still a distribution
    has = prior.sum(-1) > 0.99
    if name in ('RandomFlip', 'FaceRandomFlip'):  # labels swapped 2<->3, prior channels later
        labels = np.where(labels == 2, 3, np.where(labels == 3, 2, labels))
    agree = (prior.argmax(-1) == labels)[has & (labels != 255)].mean()
    assert agree > (0.8 if name == 'FaceCropResize' else 0.999), agree  # bilinear vs exact
    assert not (prior.sum(-1) > 0)[labels == 255].any() or name == 'FaceCropResize'


@pytest.mark.parametrize('name', ['RandomCrop', 'RandomRotate', 'RandomFlip'])
def test_transforms_that_leave_the_points_behind_are_refused_before_it(name):
    cls = _registered()[name]
    landmarks = _registered()['LoadFaceLandmarks']
    with pytest.raises(ValueError, match=rf'{name} \(step 1\) before LoadFacePrior moves'):
        check_prior_pipeline(
            [landmarks.__new__(landmarks), cls.__new__(cls), LoadFacePrior()], 'train pipeline'
        )


def test_a_zero_fill_is_refused():
    cutout = _registered()['RandomCutOut'](prob=1.0, n_holes=1, cutout_shape=(8, 8), seg_fill_in=0)
    with pytest.raises(ValueError, match='fills seg maps with 0'):
        check_prior_pipeline([LoadFacePrior(), cutout], 'train pipeline')


def test_a_fill_restores_to_no_prior():
    """A rotation border (mmseg fills 255) was restored as a prior of 1 for every class."""
    stored = np.full((1, 1, 11), 255, np.float32)
    assert restore_prior(stored).sum() == 0


def test_resize_before_load_face_prior_renders_at_the_new_size(helen_converted):
    """With the points moved by Resize, the prior is rendered at the resized resolution."""
    import os.path as osp

    from mmseg.registry import DATASETS

    steps = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadFaceLandmarks'),
        dict(type='Resize', scale=(200, 200), keep_ratio=True),
        dict(
            type='LoadFacePrior',
            bank_file=osp.join(helen_converted, 'prior_bank.npz'),
            num_neighbors=2,
        ),
        dict(type='PackFaceInputs'),
    ]

    def build(pipeline):
        prefix = dict(
            img_path='images/val', seg_map_path='annotations/val', landmark_path='landmarks/val'
        )
        return DATASETS.build(
            dict(
                type='HelenDataset', data_root=helen_converted, data_prefix=prefix,
                pipeline=pipeline,
            )
        )  # fmt: skip

    data = build(steps)
    sample = data[0]
    prior = sample['data_samples'].face_prior.data.numpy()
    assert prior.shape[1:] == sample['inputs'].shape[1:]
    # smooth, not blocky: an upscaled nearest-neighbour map repeats rows exactly
    rows = np.abs(np.diff(prior, axis=1)).sum(axis=(0, 2))
    assert (rows == 0).mean() < 0.5
    with pytest.raises(ValueError, match=r'Resize \(step 3\) after LoadFacePrior resamples'):
        build([steps[0], steps[1], steps[3], steps[2], steps[4]])
