# "VGG-Deconv" of the convergence study (configs/cpu/README.md): DeconvNet with VGG-16 at a
# quarter of its width (16-128 channels, as the tiny RE-Net) and the same decoder as
# resdeconv_re5-tiny-deconv5 (fc6/fc7 centre 8x the last width, as 4096 = 8 x 512).
_base_ = ['./resdeconv_re5-tiny-deconv5_1xb8-1k_helen-128x128.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='VGGEncoder',
        depth=16,
        base_channels=16,
        norm_cfg=dict(type='BN', requires_grad=True),
    )
)
