# RED-Net (paper Fig. 3): RE-Net encoder (5 units) + RD-Net decoder (5 RD-Units, var a).
norm_cfg = dict(type='SyncBN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='RedNetEncoder',
        arch='paper',
        num_units=5,
        out_indices=(0, 1, 2, 3, 4),
        norm_cfg=norm_cfg,
    ),
    decode_head=dict(
        type='RDHead',
        in_channels=512,
        in_index=-1,
        channels=64,
        unit_channels=(512, 256, 128, 64),
        variant='a',
        num_classes=11,
        dropout_ratio=0.0,  # the paper uses no dropout (mmseg's default is 0.1)
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
    ),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'),
)
