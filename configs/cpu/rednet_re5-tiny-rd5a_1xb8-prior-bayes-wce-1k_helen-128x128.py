# RED-Net var a + adaptive prior ("Ours-p") at the CPU-sized scale of the real-face study
# (configs/cpu/README.md): tiny widths, 128x128 crops, batch 8 in one process; the prior
# combined by Bayes' rule (combine='product', "-bayes"; the paper's Eq. 7-8 sum is
# combine='sum') and the class-weighted loss ("-wce"), with half of its log-weights taken back at
# prediction (logit_adjust=0.5, the best on the tuning photos: 70.7 vs 66.3 overall F1 at 0).
_base_ = [
    '../_base_/models/rednet_re5-tiny-rd5.py',
    '../_base_/datasets/helen_cpu_prior.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_cpu_1k.py',
]
model = dict(
    type='PriorEncoderDecoder',
    data_preprocessor=dict(size=(128, 128)),
    prior_in_train=True,
    prior_in_test=True,
    combine='product',
    logit_adjust=0.5,
    decode_head=dict(loss_decode={{_base_.weighted_loss}}),
)
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
