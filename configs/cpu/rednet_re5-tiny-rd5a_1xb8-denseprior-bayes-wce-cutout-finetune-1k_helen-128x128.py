# Lever of the accurate model (#28): occluders. The dense prior recipe (the `accurate` model's)
# with mmseg's RandomCutOut on half of the training crops: one to three grey rectangles of 8-32
# px (a face box is 38-58 px in these 128x128 crops) anywhere in the crop, their pixels ignored
# by the loss (seg_fill_in=255, which the prior reads as "no prior" there: the prior enters each
# pixel's score alone, so nothing of it reaches the pixels that are scored). 1000 iterations from
# the `fast` weights, as the control: the dense-prior config with
# `--cfg-options train_cfg.max_iters=1000 param_scheduler.0.end=1000`.
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-denseprior-bayes-wce-finetune-1500it_helen-128x128.py']
max_iters = 1000
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=250)
default_hooks = dict(checkpoint=dict(interval=250))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    {{_base_.load_points}},
    dict(
        type='LoadFacePrior',
        bank_file={{_base_.prior_bank}},
        num_neighbors=5,
        dense=True,
        cache=True,
    ),
    dict(type='FaceCropResize', scale={{_base_.img_scale}}, face_ratios={{_base_.face_ratios}}),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}, cat_max_ratio=0.75),
    dict(
        type='RandomCutOut',
        prob=0.5,
        n_holes=(1, 3),
        cutout_shape=[(8, 16), (16, 8), (16, 16), (16, 32), (32, 16), (24, 24), (32, 32)],
        fill_in=(128, 128, 128),
        seg_fill_in=255,
    ),
    dict(type='FaceRandomFlip', prob=0.5, swap_seg_labels={{_base_.lr_pairs}}),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
