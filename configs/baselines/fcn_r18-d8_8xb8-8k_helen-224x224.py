# Toolbox baseline: mmseg's FCN on a dilated ResNetV1c-18 (from scratch: no downloads).
_base_ = [
    'mmseg::_base_/models/fcn_r50-d8.py',
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
model = dict(
    data_preprocessor=dict(size=crop_size),
    pretrained=None,
    backbone=dict(depth=18),
    decode_head=dict(in_channels=512, channels=128, num_classes=11),
    auxiliary_head=dict(in_channels=256, channels=64, num_classes=11),
)
