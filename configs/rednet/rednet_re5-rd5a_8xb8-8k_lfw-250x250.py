# RED-Net on LFW-PL, the paper's setting (Table 3): original 250x250 images, 3 classes.
_base_ = [
    '../_base_/models/rednet_re5-rd5.py',
    '../_base_/datasets/lfw.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (250, 250)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor, decode_head=dict(num_classes=3))
default_hooks = dict(checkpoint=dict(save_best='aAcc'))
