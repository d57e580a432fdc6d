# LFW Part Labels as written by tools/dataset_converters/lfw.py. Paper setting: the original
# 250x250 aligned images for training and testing (mirroring only); scored with pixel accuracy
# and F per class (Table 3 layout).
_base_ = ['./helen.py']
dataset_type = 'LFWPartLabelsDataset'
data_root = 'data/lfw'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, pipeline=train_pipeline)
)
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, pipeline=test_pipeline))
val_evaluator = dict(type='FaceParsingMetric', protocol='lfw')
test_evaluator = val_evaluator
