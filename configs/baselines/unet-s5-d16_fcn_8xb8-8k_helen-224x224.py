# Toolbox baseline: mmseg's UNet (5 stages, output stride 16 inside, FCN head at full size).
_base_ = [
    'mmseg::_base_/models/fcn_unet_s5-d16.py',
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
model = dict(
    # UNet needs sides divisible by 16: test images are padded (and cropped back) by mmseg
    data_preprocessor=dict(size=crop_size, test_cfg=dict(size_divisor=16)),
    decode_head=dict(num_classes=11),
    auxiliary_head=dict(num_classes=11),
    test_cfg=dict(_delete_=True, mode='whole'),
)
