# CelebAMask-HQ as written by tools/dataset_converters/celebamask_hq.py (512x512): scaled to
# 256x256, random 224x224 crops, mirroring with left/right eyes, brows and ears swapped; mean
# F1 over the 18 foreground classes (CelebAMask-HQ convention), at the labels' 512x512.
_base_ = ['./helen.py']
dataset_type = 'CelebAMaskHQDataset'
data_root = 'data/celebamask_hq'
crop_size = (224, 224)
img_scale = (256, 256)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5, swap_seg_labels=[(4, 5), (6, 7), (8, 9)]),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, pipeline=train_pipeline)
)
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, pipeline=test_pipeline))
val_evaluator = dict(type='FaceParsingMetric', protocol='mean_f1')
test_evaluator = val_evaluator
