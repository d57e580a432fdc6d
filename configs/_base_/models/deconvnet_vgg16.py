# VGG-Deconv (paper Table 1): DeconvNet (Noh et al. 2015) = VGG-16 encoder with pooling
# indices, fc6/fc7 centre and the mirrored unpooling + deconvolution decoder (251.8 M params).
_base_ = ['./rednet_re5-rd5.py']
model = dict(
    backbone=dict(_delete_=True, type='VGGEncoder', depth=16, norm_cfg={{_base_.norm_cfg}}),
    decode_head=dict(
        _delete_=True,
        type='DeconvHead',
        in_channels=512,
        in_index=-1,
        channels=64,
        unit_channels=(512, 256, 128, 64),
        convs_per_unit=(3, 3, 3, 2, 2),
        center_channels=4096,
        num_classes=11,
        norm_cfg={{_base_.norm_cfg}},
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
    ),
)
