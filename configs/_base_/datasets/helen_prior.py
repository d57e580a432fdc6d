# Helen with the adaptive prior's inputs (helen.py's augmentation): the kNN prior
# (LoadFacePrior) right after the landmarks, before any geometric transform, so it moves with
# the image; PackFaceInputs packs it. The bank is built once by
# `python tools/misc/build_prior_bank.py data/helen` (bank = val split, as in the paper).
# The pipelines are stated again, not derived: mmengine resolves a `_base_` reference in the
# file that states it, so each scale states its pipelines once per variant. Only the prior's
# two steps may differ from the base (tests/test_configs.py checks it).
_base_ = ['./helen.py']
prior_bank = 'data/helen/prior_bank.npz'
load_prior = dict(type='LoadFacePrior', bank_file=prior_bank, num_neighbors=5)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFaceLandmarks'),
    load_prior,
    dict(type='FaceCropResize', scale={{_base_.img_scale}}, face_ratios={{_base_.face_ratios}}),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}, cat_max_ratio=1.0),
    dict(type='FaceRandomFlip', prob=0.5, swap_seg_labels={{_base_.lr_pairs}}),
    dict(type='PackFaceInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceLandmarks'),
    load_prior,
    dict(
        type='FaceCropResize',
        scale={{_base_.img_scale}},
        face_ratios={{_base_.face_ratios}},
        mode='rescale',
    ),
    dict(type='LoadAnnotations'),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
