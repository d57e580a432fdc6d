# A lever toward a faster model (#27, configs/cpu/README.md, Levers): half the tiny widths, as
# rednet_re5-tiny-w8-rd5a_1xb8-prior-bayes-wce-6k_helen-128x128.py, but started from the
# `fast` model's weights cut to the first half of every layer's channels (the same channels
# everywhere, so residual sums, unpooling indices and the classifier stay consistent) instead of
# a random initialisation, then trained 3000 iterations. The starting weights, from the `fast`
# model of 0.6.0-0.15.0 (in the git history since 0.16.0):
#   git show 01e794d:rednet_mmseg/model_zoo/$FAST.pth > $FAST.pth
#   python tools/model_converters/slice_channels.py $FAST.pth $THIS_CONFIG \
#       work_dirs/w8_sliced/fast_realhelenv2_sliced_w8.pth
# with THIS_CONFIG this file and
# FAST=rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-ft2k_realhelenv2-128x128.
_base_ = ['./rednet_re5-tiny-w8-rd5a_1xb8-prior-bayes-wce-6k_helen-128x128.py']
load_from = 'work_dirs/w8_sliced/fast_realhelenv2_sliced_w8.pth'
max_iters = 3000
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=500)
