# A lever toward an accurate model (configs/cpu/README.md, Levers): the CPU recipe at 1.25x
# the tiny widths (RE-Net units 20-160 channels, RD-Units to match; about 2.2 M parameters
# against 1.4 M), trained from scratch for 1500 iterations, beside the tiny widths on the same
# schedule (`configs/cpu/rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-6k_helen-128x128.py` with
# `--cfg-options train_cfg.max_iters=1500 param_scheduler.0.end=1500`). The paper's structure
# stays: five encoder units, five RD-Units, variant a.
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-6k_helen-128x128.py']
model = dict(
    backbone=dict(base_channels=20),
    decode_head=dict(in_channels=160, channels=20, unit_channels=(160, 80, 40, 20)),
)
max_iters = 1500
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=500)
default_hooks = dict(checkpoint=dict(interval=500))
