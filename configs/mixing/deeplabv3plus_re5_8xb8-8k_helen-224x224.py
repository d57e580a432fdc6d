# mmseg's DeepLabV3+ head on RE-Net (ASPP on stage 5, low-level features from stage 1).
_base_ = [
    '../_base_/models/rednet_re5-rd5.py',
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
model = dict(
    data_preprocessor=dict(size=crop_size),
    decode_head=dict(
        _delete_=True,
        type='DepthwiseSeparableASPPHead',
        in_channels=512,
        in_index=4,
        channels=256,
        dilations=(1, 2, 3, 4),
        c1_in_channels=64,
        c1_channels=48,
        dropout_ratio=0.1,
        num_classes=11,
        norm_cfg={{_base_.norm_cfg}},
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ),
)
