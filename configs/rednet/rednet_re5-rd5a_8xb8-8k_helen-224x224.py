# RED-Net (var a, Fig. 6-(a)) on Helen, the paper's setting: 8 GPUs x 8 = batch 64, 8k iters.
_base_ = [
    '../_base_/models/rednet_re5-rd5.py',
    '../_base_/datasets/helen.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor)
