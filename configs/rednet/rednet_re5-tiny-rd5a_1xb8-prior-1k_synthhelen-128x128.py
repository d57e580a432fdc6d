# CPU-sized RED-Net + adaptive prior on the SYNTHETIC Helen-format data (quick start).
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py']
prior_bank = 'data/helen_synthetic/prior_bank.npz'
# the paper's sum (Eq. 7-8), PriorEncoderDecoder's default, set here explicitly
model = dict(type='PriorEncoderDecoder', prior_in_train=True, prior_in_test=True, combine='sum')


# The pipelines of the config without the prior, with the 5 key points loaded first (Resize
# scales them with the image) and the kNN prior rendered from them at the resized resolution,
# then moved by the exact transforms (crop, mirror: PackFaceInputs swaps its left/right
# channels). mmseg's Resize after LoadFacePrior would resample the prior nearest-neighbour and
# is refused (rednet_mmseg/datasets/transforms/prior_storage.py).
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFaceLandmarks'),
    dict(type='Resize', scale=_base_.img_scale, keep_ratio=True),
    dict(type='LoadFacePrior', bank_file=prior_bank),
    dict(type='RandomCrop', crop_size=_base_.crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5, swap_seg_labels=[(2, 3), (4, 5)]),
    dict(type='PackFaceInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceLandmarks'),
    dict(type='Resize', scale=_base_.img_scale, keep_ratio=True),
    dict(type='LoadFacePrior', bank_file=prior_bank),
    dict(type='LoadAnnotations'),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
