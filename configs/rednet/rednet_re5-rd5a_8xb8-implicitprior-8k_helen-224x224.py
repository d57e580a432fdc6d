# "Ours-p-implicit" of Table 1: the same prior fed as 11 extra input channels (Liu et al. 2015).
_base_ = [
    '../_base_/models/rednet_re5-rd5.py',
    '../_base_/datasets/helen_prior.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
data_preprocessor = dict(type='PriorConcatPreProcessor', size=crop_size)
model = dict(data_preprocessor=data_preprocessor, backbone=dict(in_channels=3 + 11))
