# Lever of the accurate model (#28): soft labels ("label smoothing of boundaries"). The dense
# prior recipe (the `accurate` model's) with each training crop's targets made by area-averaging
# the one-hot label map of the photo (SoftFaceLabels before FaceCropResize) instead of sampling
# it nearest-neighbour: the face box shrinks from 150-300 photo pixels to 38-58, so a brow a few
# photo pixels thick becomes a band of class fractions instead of a line that comes and goes with
# the crop's offset. The loss is the same class-weighted cross-entropy on those fractions
# (PriorEncoderDecoder: equal to the hard loss on one-hot targets). Test pipeline unchanged.
# 1000 iterations from the `fast` weights, as its control: the dense-prior config with
# `--cfg-options train_cfg.max_iters=1000 param_scheduler.0.end=1000`. No gain on the tuning
# photos (configs/cpu/README.md, Levers): not shipped.
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
    dict(type='SoftFaceLabels', num_classes=11),
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
    dict(type='FaceRandomFlip', prob=0.5, swap_seg_labels={{_base_.lr_pairs}}),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
