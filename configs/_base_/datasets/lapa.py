# LaPa as written by tools/dataset_converters/lapa.py: the Helen recipe (face crops at four
# sizes from the 5 key points, 224x224 crops, mirroring with swaps); mean F1 over the 10
# foreground classes (LaPa convention).
_base_ = ['./helen.py']
dataset_type = 'LaPaDataset'
data_root = 'data/lapa'
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
val_evaluator = dict(type='FaceParsingMetric', protocol='mean_f1')
test_evaluator = val_evaluator
