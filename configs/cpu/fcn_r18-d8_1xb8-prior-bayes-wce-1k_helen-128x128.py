# FCN-R18-D8 + adaptive prior of the real-face CPU study (configs/cpu/README.md): the prior
# on a toolbox head (resized to the head's 1/8 logits in training), combined and weighted as in
# the Ours-p row; logit_adjust=1.0 (the best on the tuning photos, 76.5 vs 71.8 overall F1 at 0).
_base_ = [
    'mmseg::_base_/models/fcn_r50-d8.py',
    '../_base_/datasets/helen_cpu_prior.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_cpu_1k.py',
]
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    type='PriorEncoderDecoder',
    data_preprocessor=dict(size=(128, 128)),
    pretrained=None,
    combine='product',
    logit_adjust=1.0,
    backbone=dict(depth=18, norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=512,
        channels=128,
        num_classes=11,
        norm_cfg=norm_cfg,
        loss_decode={{_base_.weighted_loss}},
    ),
    auxiliary_head=dict(in_channels=256, channels=64, num_classes=11, norm_cfg=norm_cfg),
)
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
