# CPU study schedule (configs/cpu): 1000 iterations of batch 8 in one process, AdamW (lr 1e-3,
# poly decay; from scratch it learns far faster per iteration than the paper's SGD, which at
# lr 0.05 had reached 55 % training pixel accuracy after 400 iterations); validation and a
# checkpoint every 200 iterations, so that every run gives a curve.
optimizer = dict(type='AdamW', lr=1e-3, weight_decay=1e-4)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=1000, by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=1000, val_interval=200)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=200, max_keep_ckpts=-1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook', interval=1),
)
auto_scale_lr = dict(enable=False, base_batch_size=8)
