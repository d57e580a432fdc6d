# Helen with the adaptive prior's inputs: 5-point landmarks and the kNN prior bank built once
# by `python tools/misc/build_prior_bank.py data/helen` (bank = val split, as in the paper).
# The prior is computed before any geometric transform and moved with the image.
_base_ = ['./helen.py']
data_root = 'data/helen'
prior_bank = data_root + '/prior_bank.npz'
crop_size = (224, 224)
img_scale = (250, 250)
lr_pairs = [(2, 3), (4, 5)]
face_ratios = (0.2, 0.25, 0.3, 0.35)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFaceLandmarks'),
    dict(type='LoadFacePrior', bank_file=prior_bank, num_neighbors=5),
    dict(type='FaceCropResize', scale=img_scale, face_ratios=face_ratios),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='FaceRandomFlip', prob=0.5, swap_seg_labels=lr_pairs),
    dict(type='PackFaceInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceLandmarks'),
    dict(type='LoadFacePrior', bank_file=prior_bank, num_neighbors=5),
    dict(type='FaceCropResize', scale=img_scale, face_ratios=face_ratios, mode='rescale'),
    dict(type='LoadAnnotations'),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
