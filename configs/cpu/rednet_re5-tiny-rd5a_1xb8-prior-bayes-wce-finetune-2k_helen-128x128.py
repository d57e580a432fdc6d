# The CPU recipe fine-tuned: the shipped model of 0.5.0 (the CPU recipe trained 5000
# iterations on version 1 of the real-photo dev labels, whose brow and eye sides were
# inconsistent), trained 2000 more iterations on version 2 (sides from the subject's pupils) at
# half the learning rate. This is how the `fast` shipped model of 0.6.0 was made. Its starting
# weights are in the git history:
#   mkdir -p work_dirs/rednet_v050 && git show b1d14e7:rednet_mmseg/model_zoo/$V050.pth \
#       > work_dirs/rednet_v050/$V050.pth
# with V050=rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-6k_realhelen-128x128_iter5000.
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-6k_helen-128x128.py']
load_from = (
    'work_dirs/rednet_v050/'
    'rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-6k_realhelen-128x128_iter5000.pth'
)
max_iters = 2000
optim_wrapper = dict(optimizer=dict(lr=5e-4))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=500)
default_hooks = dict(checkpoint=dict(interval=500))
