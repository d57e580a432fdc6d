# mmseg's runtime, plus the plugin import that registers RED-Net's components.
_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['rednet_mmseg'], allow_failed_imports=False)
# FaceRunner: mmengine's Runner with the checkpoint trust policy (torch >= 2.6) and DDP on CPU
# (rednet_mmseg/utils/upstream_compat.py); a stock config keeps mmengine's Runner untouched.
runner_type = 'FaceRunner'
# FiniteLossHook: stop on a NaN/inf loss before a checkpoint of diverged weights is written.
# NumClassCheckHook: the heads' num_classes must match the data set's classes.
# ChannelsLastHook: NHWC convolutions (RED-Net training step 25 % faster on CPU).
custom_hooks = [
    dict(type='FiniteLossHook'),
    dict(type='NumClassCheckHook'),
    dict(type='ChannelsLastHook'),
]
# tools/test.py --tta: each image also mirrored, left/right classes swapped back before the
# average (mmseg's SegTTAModel would average a mirrored left eye with the right one); the
# left/right pairs come from the training flip, the pipeline from the test pipeline
tta_model = dict(type='FaceSegTTAModel')
