# RED-Net var a at the CPU-sized scale of the real-face study (configs/cpu/README.md): tiny
# widths, 128x128 crops, batch 8 in one process.
_base_ = [
    '../_base_/models/rednet_re5-tiny-rd5.py',
    '../_base_/datasets/helen_cpu.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_cpu_1k.py',
]
model = dict(data_preprocessor=dict(size=(128, 128)))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
