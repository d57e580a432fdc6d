# CPU-sized RED-Net + adaptive prior on the SYNTHETIC Helen-format data (quick start).
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py']
data_root = 'data/helen_synthetic'
prior_bank = data_root + '/prior_bank.npz'
crop_size = (128, 128)
img_scale = (144, 144)
model = dict(type='PriorEncoderDecoder', prior_in_train=True, prior_in_test=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFacePrior', bank_file=prior_bank),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5, swap_seg_labels=[(2, 3), (4, 5)]),
    dict(type='PackFaceInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFacePrior', bank_file=prior_bank),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
