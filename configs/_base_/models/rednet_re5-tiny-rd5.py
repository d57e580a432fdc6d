# CPU-sized RED-Net var a: RE-Net at the 'tiny' widths (16-128 channels, one residual block
# per unit) + RD-Net with matching RD-Unit widths; BN (one process). 0.46 s per training
# iteration of batch 8 at 128x128 on 2 cores.
_base_ = ['./rednet_re5-rd5.py']
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    backbone=dict(arch='tiny', norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=128, channels=16, unit_channels=(128, 64, 32, 16), norm_cfg=norm_cfg
    ),
)
