# A lever toward a faster model (#27, configs/cpu/README.md, Levers): the CPU recipe at half
# the tiny widths (RE-Net units 8-64 channels, RD-Units to match; 0.35 M parameters against
# 1.38 M, a quarter of the multiply-adds), trained from scratch for 6000 iterations. The
# paper's structure stays: five encoder units, five RD-Units, variant a.
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-6k_helen-128x128.py']
model = dict(
    backbone=dict(base_channels=8),
    decode_head=dict(in_channels=64, channels=8, unit_channels=(64, 32, 16, 8)),
)
