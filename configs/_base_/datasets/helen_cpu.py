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


def _scaled(pipeline):
    out = []
    for t in pipeline:
        if t['type'] == 'FaceCropResize':
            t = dict(t, scale=img_scale, face_ratios=face_ratios)
        elif t['type'] == 'RandomCrop':
            t = dict(t, crop_size=crop_size, cat_max_ratio=0.75)
        out.append(t)
    return out


train_pipeline = _scaled(_base_.train_pipeline)
test_pipeline = _scaled(_base_.test_pipeline)
train_dataloader = dict(num_workers=1, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(num_workers=1, dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(num_workers=1, dataset=dict(pipeline=test_pipeline))
