# Helen at a CPU-sized scale (configs/cpu). The face box (5 key points) is scaled to 38-58 px
# (four face sizes) on a 256x256 face-centred canvas, and random 128x128 crops are taken
# anywhere in it (each at most 75 % one class), so training sees the face at any position and
# the background far from it, as a whole test image shows them. (Crops that always centre
# the face, as in helen.py, taught the network that everything away from the centre is skin
# when it saw whole test photos: 28 % pixel accuracy on real faces.) Whole test images are
# scaled by the same rule (face box 48 px).
_base_ = ['./helen.py']
crop_size = (128, 128)
img_scale = (256, 256)
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
train_dataloader = dict(num_workers=1, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(num_workers=1, dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(num_workers=1, dataset=dict(pipeline=test_pipeline))
