# Short name used in the README: the full method (RED-Net + adaptive prior) at paper size, with
# the recipe that works on real faces; the paper's Table 1 rows keep their full names
# ("Ours": rednet/rednet_re5-rd5a_8xb8-8k_helen-224x224.py, "Ours-p": ...-prior-8k...).
_base_ = ['./rednet/rednet_re5-rd5a_8xb8-prior-bayes-wce-canvas-adamw-8k_helen-224x224.py']
