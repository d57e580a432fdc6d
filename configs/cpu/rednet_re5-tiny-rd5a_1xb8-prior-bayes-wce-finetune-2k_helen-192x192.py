# A lever toward a more accurate model (configs/cpu/README.md, "Levers"): the `fast` shipped
# model fine-tuned at 1.5x the face scale: face box 57-86 px on a 384x384 face-centred canvas
# (helen_cpu.py's four face sizes), random 192x192 crops, whole test images scaled by the same
# rule (face box 72 px). Same network (tiny RED-Net var a + adaptive prior, Bayes' rule,
# class-weighted loss), so the same size, at 2.25x the pixels per forward. Measured (218
# training photos, bank of the same photos): no gain over `fast` on the tuning or the test
# photos at iteration 1250 of 2000, so it is not shipped.
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-finetune-2k_helen-128x128.py']
crop_size = (192, 192)
img_scale = (384, 384)
face_ratios = (0.15, 0.175, 0.2, 0.225)
lr_pairs = [(2, 3), (4, 5)]  # left/right eyebrow, left/right eye
load_prior = {{_base_.load_prior}}
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFaceLandmarks'),
    load_prior,
    dict(type='FaceCropResize', scale=img_scale, face_ratios=face_ratios),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='FaceRandomFlip', prob=0.5, swap_seg_labels=lr_pairs),
    dict(type='PackFaceInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceLandmarks'),
    load_prior,
    dict(type='FaceCropResize', scale=img_scale, face_ratios=face_ratios, mode='rescale'),
    dict(type='LoadAnnotations'),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
model = dict(data_preprocessor=dict(size=crop_size))
# Starts from the `fast` model of 0.6.0-0.15.0, in the git history since 0.16.0:
#   mkdir -p work_dirs/rednet_fast_v015 && git show 01e794d:rednet_mmseg/model_zoo/$F.pth \
#       > work_dirs/rednet_fast_v015/$F.pth
# with F=rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-ft2k_realhelenv2-128x128.
load_from = (
    'work_dirs/rednet_fast_v015/'
    'rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-ft2k_realhelenv2-128x128.pth'
)
# the schedule of its base (2000 iterations, lr 5e-4, poly), validated and saved more often
train_cfg = dict(val_interval=250)
default_hooks = dict(checkpoint=dict(interval=250, max_keep_ckpts=20))
