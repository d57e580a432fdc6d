# The adaptive prior on an mmseg head: FCN on a dilated ResNetV1c-18 (output stride 8) + prior.
# The prior is resized to the head's 1/8 logits for the loss and refines the full-size scores
# at inference. Backbone from scratch (no download); set init_cfg to use ImageNet weights.
_base_ = [
    'mmseg::_base_/models/fcn_r50-d8.py',
    '../_base_/datasets/helen_prior.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
data_preprocessor = dict(size=crop_size)
model = dict(
    type='PriorEncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    combine='sum',  # the paper's Eq. 7-8, as in Table 1 "Ours-p"
    backbone=dict(depth=18),
    decode_head=dict(in_channels=512, channels=128, num_classes=11),
    auxiliary_head=dict(in_channels=256, channels=64, num_classes=11),
)
