# "Ours-p" of Table 1: RED-Net + adaptive prior (Eq. 2 in training, Eq. 5-8 in inference:
# the entropy-scaled sum of Eq. 7-8), plain cross-entropy, the paper's SGD schedule.
_base_ = [
    '../_base_/models/rednet_re5-rd5.py',
    '../_base_/datasets/helen_prior.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_8k.py',
]
crop_size = (224, 224)
data_preprocessor = dict(size=crop_size)
model = dict(
    type='PriorEncoderDecoder',
    data_preprocessor=data_preprocessor,
    prior_in_train=True,
    prior_in_test=True,
    combine='sum',
)
