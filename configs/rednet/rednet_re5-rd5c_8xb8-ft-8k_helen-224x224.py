# Table 2 "var c-ft": variant c initialised from a trained var-a model. RD-Unit modules have
# the same names in every variant, so the matching weights load by name (the rest is skipped).
_base_ = ['./rednet_re5-rd5c_8xb8-8k_helen-224x224.py']
load_from = 'work_dirs/rednet_re5-rd5a_8xb8-8k_helen-224x224/iter_8000.pth'
