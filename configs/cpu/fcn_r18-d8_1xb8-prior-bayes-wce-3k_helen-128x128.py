# FCN-R18-D8 + adaptive prior (fcn_r18-d8_1xb8-prior-bayes-wce-1k_helen-128x128.py) for 3000
# iterations: the wall time of the paper-width RED-Net recipe's 600 iterations
# (rednet_re5-rd5a_1xb8-prior-bayes-wce-600it_helen-128x128.py), about an hour on one CPU core.
# Results: configs/cpu/README.md.
_base_ = ['./fcn_r18-d8_1xb8-prior-bayes-wce-1k_helen-128x128.py']
max_iters = 3000
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=1000))
