# "Res-Deconv" of the convergence study (configs/cpu/README.md): the tiny RE-Net with
# DeconvNet's plain deconvolution decoder at the same widths as the tiny RD-Net.
_base_ = [
    '../_base_/models/rednet_re5-tiny-rd5.py',
    '../_base_/datasets/helen_cpu.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_cpu_1k.py',
]
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    data_preprocessor=dict(size=(128, 128)),
    decode_head=dict(
        _delete_=True,
        type='DeconvHead',
        in_channels=128,
        in_index=-1,
        channels=16,
        unit_channels=(128, 64, 32, 16),
        convs_per_unit=(3, 3, 3, 2, 2),
        center_channels=1024,
        num_classes=11,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
    ),
)
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
