# Helen at the paper's 224x224 crop size with training crops that show what a whole test image
# shows (the CPU recipe's canvas, helen_cpu.py, at 1.75x its scale): the face box (5 key points)
# is scaled to 67-101 px (four face sizes) on a 448x448 face-centred canvas and random 224x224
# crops are taken anywhere in it (each at most 75 % one class), so the network sees the face
# at any position and the background far from it. Whole test images are scaled by the same
# rule (face box 84 px). helen.py's crops always centre the face, which on whole real test
# photos taught a network that everything away from the centre is skin (configs/cpu/README.md).
_base_ = ['./helen.py']
crop_size = (224, 224)
img_scale = (448, 448)
face_ratios = (0.15, 0.175, 0.2, 0.225)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LoadFaceLandmarks'),
    dict(type='FaceCropResize', scale=img_scale, face_ratios=face_ratios),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='FaceRandomFlip', prob=0.5, swap_seg_labels={{_base_.lr_pairs}}),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceLandmarks'),
    dict(type='FaceCropResize', scale=img_scale, face_ratios=face_ratios, mode='rescale'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
