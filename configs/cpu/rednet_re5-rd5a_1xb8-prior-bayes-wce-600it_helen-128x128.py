# The CPU recipe (rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-1k_helen-128x128.py) at the paper's
# widths: RED-Net var a (RE-Net 64-512 channels, RD-Units 512-64) + adaptive prior, canvas
# 128x128 crops, batch 8 in one process, Bayes' rule and the class-weighted loss, BN (one
# process). 600 iterations: about an hour on one CPU core. Results: configs/cpu/README.md.
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-1k_helen-128x128.py']
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    backbone=dict(arch='paper', norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=512, channels=64, unit_channels=(512, 256, 128, 64), norm_cfg=norm_cfg
    ),
)
max_iters = 600
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=300))
