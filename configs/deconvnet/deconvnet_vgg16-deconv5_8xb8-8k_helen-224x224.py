# "VGG-Deconv" of Table 1 (DeconvNet reproduced for face parsing, as the paper did).
_base_ = [
    '../_base_/models/deconvnet_vgg16.py',
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
model = dict(data_preprocessor=dict(size=crop_size))
