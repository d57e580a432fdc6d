# RED-Net on LaPa (11 classes) with the paper's Helen recipe and schedule.
_base_ = [
    '../_base_/models/rednet_re5-rd5.py',
    '../_base_/datasets/lapa.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor)
default_hooks = dict(checkpoint=dict(save_best='mF1'))
