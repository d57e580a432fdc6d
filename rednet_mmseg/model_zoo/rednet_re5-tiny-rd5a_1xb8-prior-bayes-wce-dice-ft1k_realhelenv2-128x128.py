auto_scale_lr = dict(base_batch_size=8, enable=False)
crop_size = (
    128,
    128,
)
custom_hooks = [
    dict(type='FiniteLossHook'),
    dict(type='NumClassCheckHook'),
    dict(type='ChannelsLastHook'),
]
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'rednet_mmseg',
    ])
data_preprocessor = dict(
    bgr_to_rgb=True,
    mean=[
        123.675,
        116.28,
        103.53,
    ],
    pad_val=0,
    seg_pad_val=255,
    std=[
        58.395,
        57.12,
        57.375,
    ],
    type='SegDataPreProcessor')
data_root = 'data/helen'
dataset_type = 'HelenDataset'
default_hooks = dict(
    checkpoint=dict(
        by_epoch=False, interval=250, max_keep_ckpts=-1,
        type='CheckpointHook'),
    logger=dict(interval=50, log_metric_by_epoch=False, type='LoggerHook'),
    param_scheduler=dict(type='ParamSchedulerHook'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    timer=dict(type='IterTimerHook'),
    visualization=dict(interval=1, type='SegVisualizationHook'))
default_scope = 'mmseg'
dice_loss = dict(
    classes=[
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
    ],
    loss_weight=1.0,
    type='FaceDiceLoss')
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='gloo'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
face_ratios = (
    0.15,
    0.175,
    0.2,
    0.225,
)
img_scale = (
    256,
    256,
)
load_from = 'work_dirs/rednet_fast_v015/rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-ft2k_realhelenv2-128x128.pth'
load_prior = dict(
    bank_file='data/helen/prior_bank.npz',
    num_neighbors=5,
    type='LoadFacePrior')
log_level = 'INFO'
log_processor = dict(by_epoch=False)
lr_pairs = [
    (
        2,
        3,
    ),
    (
        4,
        5,
    ),
]
max_iters = 1000
model = dict(
    backbone=dict(
        arch='tiny',
        norm_cfg=dict(requires_grad=True, type='BN'),
        num_units=5,
        out_indices=(
            0,
            1,
            2,
            3,
            4,
        ),
        type='RedNetEncoder'),
    combine='product',
    data_preprocessor=dict(
        bgr_to_rgb=True,
        mean=[
            123.675,
            116.28,
            103.53,
        ],
        pad_val=0,
        seg_pad_val=255,
        size=(
            128,
            128,
        ),
        std=[
            58.395,
            57.12,
            57.375,
        ],
        type='SegDataPreProcessor'),
    decode_head=dict(
        align_corners=False,
        channels=16,
        dropout_ratio=0.0,
        in_channels=128,
        in_index=-1,
        loss_decode=[
            dict(
                avg_non_ignore=True,
                class_weight=[
                    0.6,
                    1.32,
                    11.24,
                    12.32,
                    15.55,
                    14.91,
                    4.56,
                    11.06,
                    11.62,
                    8.2,
                    1.36,
                ],
                loss_weight=1.0,
                type='FaceCrossEntropyLoss',
                use_sigmoid=False),
            dict(
                classes=[
                    1,
                    2,
                    3,
                    4,
                    5,
                    6,
                    7,
                    8,
                    9,
                    10,
                ],
                loss_weight=1.0,
                type='FaceDiceLoss'),
        ],
        norm_cfg=dict(requires_grad=True, type='BN'),
        num_classes=11,
        type='RDHead',
        unit_channels=(
            128,
            64,
            32,
            16,
        ),
        variant='a'),
    logit_adjust=0.5,
    prior_in_test=True,
    prior_in_train=True,
    test_cfg=dict(mode='whole'),
    train_cfg=dict(),
    type='PriorEncoderDecoder')
norm_cfg = dict(requires_grad=True, type='BN')
optim_wrapper = dict(
    clip_grad=None,
    optimizer=dict(lr=0.0005, type='AdamW', weight_decay=0.0001),
    type='OptimWrapper')
optimizer = dict(lr=0.001, type='AdamW', weight_decay=0.0001)
param_scheduler = [
    dict(
        begin=0,
        by_epoch=False,
        end=1000,
        eta_min=1e-05,
        power=0.9,
        type='PolyLR'),
]
parse_cfg = dict(refine='none')
prior_bank = 'data/helen/prior_bank.npz'
resume = False
runner_type = 'FaceRunner'
test_cfg = dict(type='TestLoop')
test_dataloader = dict(
    batch_size=1,
    dataset=dict(
        data_prefix=dict(
            img_path='images/test',
            landmark_path='landmarks/test',
            seg_map_path='annotations/test'),
        data_root='data/helen',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadFaceLandmarks'),
            dict(
                bank_file='data/helen/prior_bank.npz',
                num_neighbors=5,
                type='LoadFacePrior'),
            dict(
                face_ratios=(
                    0.15,
                    0.175,
                    0.2,
                    0.225,
                ),
                mode='rescale',
                scale=(
                    256,
                    256,
                ),
                type='FaceCropResize'),
            dict(type='LoadAnnotations'),
            dict(type='PackFaceInputs'),
        ],
        type='HelenDataset'),
    num_workers=1,
    persistent_workers=True,
    sampler=dict(shuffle=False, type='DefaultSampler'))
test_evaluator = dict(protocol='helen', type='FaceParsingMetric')
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceLandmarks'),
    dict(
        bank_file='data/helen/prior_bank.npz',
        num_neighbors=5,
        type='LoadFacePrior'),
    dict(
        face_ratios=(
            0.15,
            0.175,
            0.2,
            0.225,
        ),
        mode='rescale',
        scale=(
            256,
            256,
        ),
        type='FaceCropResize'),
    dict(type='LoadAnnotations'),
    dict(type='PackFaceInputs'),
]
train_cfg = dict(max_iters=1000, type='IterBasedTrainLoop', val_interval=250)
train_dataloader = dict(
    batch_size=8,
    dataset=dict(
        data_prefix=dict(
            img_path='images/train',
            landmark_path='landmarks/train',
            seg_map_path='annotations/train'),
        data_root='data/helen',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadAnnotations'),
            dict(type='LoadFaceLandmarks'),
            dict(
                bank_file='data/helen/prior_bank.npz',
                num_neighbors=5,
                type='LoadFacePrior'),
            dict(
                face_ratios=(
                    0.15,
                    0.175,
                    0.2,
                    0.225,
                ),
                scale=(
                    256,
                    256,
                ),
                type='FaceCropResize'),
            dict(
                cat_max_ratio=0.75, crop_size=(
                    128,
                    128,
                ), type='RandomCrop'),
            dict(
                prob=0.5,
                swap_seg_labels=[
                    (
                        2,
                        3,
                    ),
                    (
                        4,
                        5,
                    ),
                ],
                type='FaceRandomFlip'),
            dict(type='PackFaceInputs'),
        ],
        type='HelenDataset'),
    num_workers=1,
    persistent_workers=True,
    sampler=dict(shuffle=True, type='InfiniteSampler'))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFaceLandmarks'),
    dict(
        bank_file='data/helen/prior_bank.npz',
        num_neighbors=5,
        type='LoadFacePrior'),
    dict(
        face_ratios=(
            0.15,
            0.175,
            0.2,
            0.225,
        ),
        scale=(
            256,
            256,
        ),
        type='FaceCropResize'),
    dict(cat_max_ratio=0.75, crop_size=(
        128,
        128,
    ), type='RandomCrop'),
    dict(
        prob=0.5,
        swap_seg_labels=[
            (
                2,
                3,
            ),
            (
                4,
                5,
            ),
        ],
        type='FaceRandomFlip'),
    dict(type='PackFaceInputs'),
]
tta_model = dict(_scope_='mmseg', type='FaceSegTTAModel')
val_cfg = dict(type='ValLoop')
val_dataloader = dict(
    batch_size=1,
    dataset=dict(
        data_prefix=dict(
            img_path='images/val',
            landmark_path='landmarks/val',
            seg_map_path='annotations/val'),
        data_root='data/helen',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadFaceLandmarks'),
            dict(
                bank_file='data/helen/prior_bank.npz',
                num_neighbors=5,
                type='LoadFacePrior'),
            dict(
                face_ratios=(
                    0.15,
                    0.175,
                    0.2,
                    0.225,
                ),
                mode='rescale',
                scale=(
                    256,
                    256,
                ),
                type='FaceCropResize'),
            dict(type='LoadAnnotations'),
            dict(type='PackFaceInputs'),
        ],
        type='HelenDataset'),
    num_workers=1,
    persistent_workers=True,
    sampler=dict(shuffle=False, type='DefaultSampler'))
val_evaluator = dict(protocol='helen', type='FaceParsingMetric')
vis_backends = [
    dict(_scope_='mmseg', type='LocalVisBackend'),
]
visualizer = dict(
    _scope_='mmseg',
    name='visualizer',
    type='SegLocalVisualizer',
    vis_backends=[
        dict(type='LocalVisBackend'),
    ])
weighted_loss = dict(
    avg_non_ignore=True,
    class_weight=[
        0.6,
        1.32,
        11.24,
        12.32,
        15.55,
        14.91,
        4.56,
        11.06,
        11.62,
        8.2,
        1.36,
    ],
    loss_weight=1.0,
    type='FaceCrossEntropyLoss',
    use_sigmoid=False)
