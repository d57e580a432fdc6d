# RDHead on mmseg's MobileNetV2 (output stride 32, upsampling fallback).
_base_ = [
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
    '../_base_/models/rednet_re5-rd5.py',
]
crop_size = (224, 224)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        _delete_=True,
        type='MobileNetV2',
        widen_factor=1.0,
        strides=(1, 2, 2, 2, 1, 2, 1),
        out_indices=(1, 2, 4, 6),
        norm_cfg={{_base_.norm_cfg}},
    ),
    decode_head=dict(in_channels=320, unit_channels=(96, 32, 24, 16), channels=16),
)
