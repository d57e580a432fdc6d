# Toolbox baseline of the real-face CPU study (configs/cpu/README.md): mmseg's FCN on a
# dilated ResNetV1c-18 from scratch, same data, crops, batch and schedule as the RED-Net rows.
_base_ = [
    'mmseg::_base_/models/fcn_r50-d8.py',
    '../_base_/datasets/helen_cpu.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_cpu_1k.py',
]
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    data_preprocessor=dict(size=(128, 128)),
    pretrained=None,
    backbone=dict(depth=18, norm_cfg=norm_cfg),
    decode_head=dict(in_channels=512, channels=128, num_classes=11, norm_cfg=norm_cfg),
    auxiliary_head=dict(in_channels=256, channels=64, num_classes=11, norm_cfg=norm_cfg),
)
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
