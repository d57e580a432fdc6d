# "VGG-Deconv-p" of Table 1: VGG-Deconv + the adaptive prior.
_base_ = [
    '../_base_/models/deconvnet_vgg16.py',
    '../_base_/datasets/helen_prior.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
# the paper's Eq. 7-8 (combine='sum'), plain cross-entropy
model = dict(type='PriorEncoderDecoder', data_preprocessor=dict(size=crop_size), combine='sum')
