# The CPU recipe (alias configs/rednet_helen_cpu.py): the tiny RED-Net + adaptive prior of
# rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-1k_helen-128x128.py trained for 6000 iterations of
# batch 8 (about an hour on 2 CPU cores), validation and a checkpoint every 500 iterations.
# Results: configs/cpu/README.md.
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-1k_helen-128x128.py']
max_iters = 6000
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=500)
default_hooks = dict(checkpoint=dict(interval=500))
