# Lever of the accurate model (#28): the fine-tuning recipe of `fast` with face-aware
# augmentation. Each training crop is turned about the face box's centre by up to 15 degrees
# (an in-plane head roll: image, labels, prior and key points together, FaceCropResize) and its
# colours are jittered (mmseg's PhotoMetricDistortion: brightness, contrast, saturation, hue).
# Schedule, crop and everything else as the 128x128 fine-tuning config it inherits.
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-finetune-2k_helen-128x128.py']
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFaceLandmarks'),
    {{_base_.load_prior}},
    dict(
        type='FaceCropResize',
        scale={{_base_.img_scale}},
        face_ratios={{_base_.face_ratios}},
        max_rotate_degree=15,
    ),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}, cat_max_ratio=0.75),
    dict(type='FaceRandomFlip', prob=0.5, swap_seg_labels={{_base_.lr_pairs}}),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
