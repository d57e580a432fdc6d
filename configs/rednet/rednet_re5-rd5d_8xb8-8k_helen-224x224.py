# RED-Net decoder variant d (Fig. 6-(d), Table 2), decoder initialised randomly.
_base_ = ['./rednet_re5-rd5a_8xb8-8k_helen-224x224.py']
model = dict(decode_head=dict(variant='d'))
