# Identity pretraining of RE-Net (paper Eq. 3-4) with mmpretrain: all six units, a d=1024
# feature layer and a softmax over the identities of a CASIA-WebFace-style folder tree
# (data/casia-webface/<identity>/<image>.jpg, 10575 identities in CASIA-WebFace).
# Train: python tools/train.py configs/pretrain/rednet-identity_re6_1xb64-18e_casia-224x224.py
# Then keep units 1-5 for parsing:
#   python tools/model_converters/identity_to_rednet.py work_dirs/.../epoch_N.pth re5.pth
# and set backbone.init_cfg=dict(type='Pretrained', checkpoint='re5.pth') in a RED-Net config.
default_scope = 'mmpretrain'
custom_imports = dict(imports=['rednet_mmseg'], allow_failed_imports=False)
num_identities = 10575
model = dict(
    type='ImageClassifier',
    backbone=dict(type='mmseg.RedNetEncoder', arch='paper', num_units=6, out_indices=(5,)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='StackedLinearClsHead',
        num_classes=num_identities,
        in_channels=512,
        mid_channels=[1024],  # d = 1024 (Eq. 4)
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ),
)
data_preprocessor = dict(
    num_classes=num_identities,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True,
)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(250, 250)),
    dict(type='RandomCrop', crop_size=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='CustomDataset',
        data_root='data/casia-webface',
        with_label=True,
        pipeline=train_pipeline,
    ),
)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(type='MultiStepLR', by_epoch=True, milestones=[10, 15], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=18)
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
log_level = 'INFO'
load_from = None
resume = False
