# RDHead on mmseg's ResNetV1c-50 (output stride 32, upsampling fallback).
_base_ = [
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
    '../_base_/models/rednet_re5-rd5.py',
]
crop_size = (224, 224)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(_delete_=True, type='ResNetV1c', depth=50, norm_cfg={{_base_.norm_cfg}}),
    decode_head=dict(in_channels=2048, unit_channels=(512, 256, 128, 64), channels=64),
)
