# Lever of the accurate model (#28), 0.16.0: an average of the weights. The soft-F1 recipe
# (`...-denseprior-n10-bayes-wce-dice-finetune-1500it_helen-128x128.py`) with mmengine's
# EMAHook (an exponential moving average of the parameters and the batch-norm statistics,
# momentum 0.004: about the last 250 iterations; validation and the saved `state_dict` use the
# average), on the tuning protocol's schedule: 1000 iterations from the shipped `fast` weights.
# Measured on the 40 tuning photos (configs/cpu/README.md, Levers): no gain through
# `tools/parse_faces.py`, so not shipped.
_base_ = [
    './rednet_re5-tiny-rd5a_1xb8-denseprior-n10-bayes-wce-dice-finetune-1500it_helen-128x128.py'
]
max_iters = 1000
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=250)
default_hooks = dict(checkpoint=dict(interval=250))
# configs/_base_/default_runtime.py's hooks, then the average (priority 49: before the
# checkpoint hook, as mmengine's own configs place it)
custom_hooks = [
    dict(type='FiniteLossHook'),
    dict(type='NumClassCheckHook'),
    dict(type='ChannelsLastHook'),
    dict(type='EMAHook', momentum=0.004, update_buffers=True, priority=49),
]
