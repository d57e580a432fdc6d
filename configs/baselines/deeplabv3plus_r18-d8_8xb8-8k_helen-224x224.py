# Toolbox baseline: mmseg's DeepLabV3+ on a dilated ResNetV1c-18 (from scratch).
_base_ = [
    'mmseg::_base_/models/deeplabv3plus_r50-d8.py',
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
model = dict(
    data_preprocessor=dict(size=crop_size),
    pretrained=None,
    backbone=dict(depth=18),
    decode_head=dict(
        c1_in_channels=64, c1_channels=12, in_channels=512, channels=128, num_classes=11
    ),
    auxiliary_head=dict(in_channels=256, channels=64, num_classes=11),
)
