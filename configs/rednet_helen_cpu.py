# Alias: the CPU recipe, RED-Net + adaptive prior sized for 2 CPU cores (tiny widths, 128x128
# crops, 6000 iterations of batch 8, about an hour); see configs/cpu/README.md.
_base_ = ['./cpu/rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-6k_helen-128x128.py']
