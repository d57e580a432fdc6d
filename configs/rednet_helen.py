# Short name used in the README: RED-Net on Helen with the paper's setting.
_base_ = ['./rednet/rednet_re5-rd5a_8xb8-8k_helen-224x224.py']
