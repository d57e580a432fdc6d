# Paper schedule: SGD, momentum 0.9, weight decay 5e-4, lr 0.01 divided by 10 every 5000
# iterations; 8000 iterations (paper "Analysis of convergence"); batch 64 in total.
optimizer = dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=8000, milestones=[5000], gamma=0.1)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=8000, val_interval=1000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=1000,
        save_best='F1.overall',
        rule='greater',
        max_keep_ckpts=2,
    ),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook', interval=1),
)  # draws only with --show-dir
auto_scale_lr = dict(enable=False, base_batch_size=64)
