# "Ours-p-implicit" of the real-face CPU study (configs/cpu/README.md): the same prior fed to
# the tiny RED-Net as 11 extra input channels (Liu et al. 2015), with the same class-weighted
# loss as the adaptive-prior rows.
_base_ = [
    '../_base_/models/rednet_re5-tiny-rd5.py',
    '../_base_/datasets/helen_cpu_prior.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_cpu_1k.py',
]
model = dict(
    data_preprocessor=dict(type='PriorConcatPreProcessor', size=(128, 128)),
    backbone=dict(in_channels=3 + 11),
    decode_head=dict(loss_decode={{_base_.weighted_loss}}),
)
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
