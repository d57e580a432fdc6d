# "Res-Deconv" of Table 1: RED-Net's encoder (RE-Net) + VGG-Deconv's decoder.
_base_ = [
    '../_base_/models/deconvnet_vgg16.py',
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        _delete_=True, type='RedNetEncoder', arch='paper', num_units=5, norm_cfg={{_base_.norm_cfg}}
    ),
)
