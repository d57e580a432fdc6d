# The CPU recipe's optimiser at the paper's length: AdamW (lr 1e-3, weight decay 1e-4) with
# poly decay over 8000 iterations of batch 64 in total. From scratch it learns far faster per
# iteration than the paper's SGD (configs/cpu/README.md). Validation every 1000 iterations.
_base_ = ['./schedule_8k.py']
optimizer = dict(type='AdamW', lr=1e-3, weight_decay=1e-4)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None, _delete_=True)
param_scheduler = [dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0, end=8000, by_epoch=False)]
