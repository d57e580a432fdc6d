# Helen as written by tools/dataset_converters/helen.py, with its 5-point landmarks. The paper's
# recipe: face crops at four face sizes scaled to 250x250 (FaceCropResize), random 224x224
# crops, mirroring with left/right brow and eye labels and landmarks swapped. Test images are
# scaled whole by the same rule and scored at the ground truth's own resolution (annotations
# loaded after the resize). helen_prior.py derives the prior's pipelines from these.
dataset_type = 'HelenDataset'
data_root = 'data/helen'
crop_size = (224, 224)
img_scale = (250, 250)
lr_pairs = [(2, 3), (4, 5)]  # left/right eyebrow, left/right eye
face_ratios = (0.2, 0.25, 0.3, 0.35)  # four face sizes
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFaceLandmarks'),
    dict(type='FaceCropResize', scale=img_scale, face_ratios=face_ratios),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='FaceRandomFlip', prob=0.5, swap_seg_labels=lr_pairs),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceLandmarks'),
    dict(type='FaceCropResize', scale=img_scale, face_ratios=face_ratios, mode='rescale'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='images/train',
            seg_map_path='annotations/train',
            landmark_path='landmarks/train',
        ),
        pipeline=train_pipeline,
    ),
)
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='images/val', seg_map_path='annotations/val', landmark_path='landmarks/val'
        ),
        pipeline=test_pipeline,
    ),
)
test_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='images/test', seg_map_path='annotations/test', landmark_path='landmarks/test'
        ),
        pipeline=test_pipeline,
    ),
)
val_evaluator = dict(type='FaceParsingMetric', protocol='helen')
test_evaluator = val_evaluator
# Cross-entropy weighted by w_c = f_c ** -0.5 (mean weight per labelled pixel 1), f_c = class
# pixel shares of the real-photo Helen-format training split (brows and eyes 0.1-0.2 % each),
# from `python tools/analysis_tools/class_weights.py data/helen`: the "-wce" configs use it.
# FaceCrossEntropyLoss: mmseg's CrossEntropyLoss, whose class weights fail on ignored pixels in
# mmseg 1.2.2 (IndexError 255), with that fixed (rednet_mmseg/utils/upstream_compat.py).
weighted_loss = dict(
    type='FaceCrossEntropyLoss',
    use_sigmoid=False,
    loss_weight=1.0,
    class_weight=[0.6, 1.32, 11.24, 12.32, 15.55, 14.91, 4.56, 11.06, 11.62, 8.2, 1.36],
    avg_non_ignore=True,
)
