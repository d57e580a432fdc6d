# Lever of the accurate model (#28): depth. The paper's RE-Net has two residual blocks in each of
# units 1-4 (Fig. 3, `arch='paper'`); the tiny arch has one. This config gives the tiny widths
# the paper's depths (num_blocks=(2, 2, 2, 2, 1): 0.39 M more parameters) and grows them out of a
# trained dense-prior model: the added blocks start as the identity (`zero_init_residual`: their
# last BN at zero; the checkpoint's own blocks load over it), so the first iteration computes
# what the trained network computed, then 1000 iterations of the fine-tuning recipe (poly decay to
# 1000). `tools/train.py` reports the added blocks as missing from the checkpoint: expected.
# The control for the lever is the same run without the added blocks (C: the dense-prior config,
# ./rednet_re5-tiny-rd5a_1xb8-denseprior-bayes-wce-finetune-1500it_helen-128x128.py):
#   python tools/train.py configs/cpu/C --cfg-options load_from=<the same checkpoint> \
#       train_cfg.max_iters=1000 param_scheduler.0.end=1000
# Results: configs/cpu/README.md, Levers (measured in 0.12.0 from the accurate model of then, the
# dense prior of 5 neighbours, `...-denseprior-bayes-wce-ft1500_realhelenv2-128x128.pth` in the
# git history up to 0.13.0; the shipped accurate model of 0.15.0 is loaded now).
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-denseprior-bayes-wce-finetune-1500it_helen-128x128.py']
load_from = (
    'rednet_mmseg/model_zoo/'
    'rednet_re5-tiny-rd5a_1xb8-denseprior-n10-bayes-wce-dice-ft1500_realhelenv2-128x128.pth'
)
model = dict(backbone=dict(num_blocks=(2, 2, 2, 2, 1), zero_init_residual=True))
max_iters = 1000
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=500)
