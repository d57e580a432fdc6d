# CPU-sized RED-Net (about 0.45 s per iteration on 2 cores) for the quick start on the
# SYNTHETIC Helen-format data set (tools/quickstart.sh generates and converts it into
# data/helen_synthetic).
_base_ = [
    '../_base_/models/rednet_re5-rd5.py',
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (128, 128)
img_scale = (144, 144)
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    backbone=dict(arch='tiny', norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=128, channels=16, unit_channels=(128, 64, 32, 16), norm_cfg=norm_cfg
    ),
)
data_root = 'data/helen_synthetic'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5, swap_seg_labels=[(2, 3), (4, 5)]),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=8, num_workers=2, dataset=dict(data_root=data_root, pipeline=train_pipeline)
)
val_dataloader = dict(num_workers=1, dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = dict(num_workers=1, dataset=dict(data_root=data_root, pipeline=test_pipeline))
optim_wrapper = dict(optimizer=dict(lr=0.05))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=1000, milestones=[800], gamma=0.1)
]
train_cfg = dict(max_iters=1000, val_interval=500)
default_hooks = dict(logger=dict(interval=50), checkpoint=dict(interval=500))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
