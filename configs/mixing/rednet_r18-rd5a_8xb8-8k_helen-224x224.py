# RDHead on mmseg's ResNetV1c-18 (output stride 32, no pooling indices: upsampling fallback).
_base_ = [
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
    '../_base_/models/rednet_re5-rd5.py',
]
crop_size = (224, 224)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(_delete_=True, type='ResNetV1c', depth=18, norm_cfg={{_base_.norm_cfg}}),
    decode_head=dict(in_channels=512, unit_channels=(256, 128, 64, 64), channels=32),
)
