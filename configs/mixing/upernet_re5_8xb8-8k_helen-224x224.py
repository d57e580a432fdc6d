# mmseg's UPerHead on RE-Net stages 2-5 (strides 4-32).
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
        type='UPerHead',
        in_channels=[128, 256, 512, 512],
        in_index=[1, 2, 3, 4],
        pool_scales=(1, 2, 3, 6),
        channels=256,
        dropout_ratio=0.1,
        num_classes=11,
        norm_cfg={{_base_.norm_cfg}},
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ),
)
