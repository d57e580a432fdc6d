# Short name: RED-Net on LFW-PL with the paper's setting (original 250x250 images, Table 3).
_base_ = ['./rednet/rednet_re5-rd5a_8xb8-8k_lfw-250x250.py']
