# Lever of the accurate model (#28): the dense prior (not in the paper). The kNN neighbours are
# chosen by their 68 iBUG points (Procrustes distance) instead of the 5 key points' PCA codes,
# and each neighbour's label map is warped onto the face triangle by triangle between its 68
# points and the face's (LoadFacePrior(dense=True), rednet_mmseg/datasets/piecewise_warp.py),
# instead of by one similarity of 5 points: the neighbours' eyes, brows and lips land on the
# face's own contours. It starts from the shipped `fast` weights and runs the `fast`
# fine-tuning recipe for 1500 iterations (poly decay to 1500) instead of 2000.
#
# Needs the 68 points of every image (dlib's shape predictor, as parsing uses) and a bank that
# keeps its images' 68 points:
#   python tools/misc/detect_landmarks.py data/helen/images/train data/helen/images/val \
#       data/helen/images/test --select central --points 68 -o data/helen/landmarks68.txt
#   python tools/misc/build_prior_bank.py data/helen -o data/helen/prior_bank_dense.npz \
#       --dense-landmarks data/helen/landmarks68.txt
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-finetune-2k_helen-128x128.py']
# Starts from the `fast` model of 0.6.0-0.15.0, in the git history since 0.16.0:
#   mkdir -p work_dirs/rednet_fast_v015 && git show 01e794d:rednet_mmseg/model_zoo/$F.pth \
#       > work_dirs/rednet_fast_v015/$F.pth
# with F=rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-ft2k_realhelenv2-128x128.
load_from = (
    'work_dirs/rednet_fast_v015/'
    'rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-ft2k_realhelenv2-128x128.pth'
)
max_iters = 1500
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=500)
dense_landmarks = 'data/helen/landmarks68.txt'
prior_bank = 'data/helen/prior_bank_dense.npz'
load_points = dict(type='LoadFaceLandmarks', dense=True, dense_landmarks_file=dense_landmarks)
# training: the prior rendered in the photo's own frame, before the random crop and flip,
# where it depends on the photo alone, so each worker warps it once per photo (cache=True)
# and FaceCropResize, RandomCrop and FaceRandomFlip move it with the image
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    load_points,
    dict(type='LoadFacePrior', bank_file=prior_bank, num_neighbors=5, dense=True, cache=True),
    dict(type='FaceCropResize', scale={{_base_.img_scale}}, face_ratios={{_base_.face_ratios}}),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}, cat_max_ratio=0.75),
    dict(type='FaceRandomFlip', prob=0.5, swap_seg_labels={{_base_.lr_pairs}}),
    dict(type='PackFaceInputs'),
]
# test: rendered at the network's scale, after FaceCropResize (as the shipped models)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    load_points,
    dict(
        type='FaceCropResize',
        scale={{_base_.img_scale}},
        face_ratios={{_base_.face_ratios}},
        mode='rescale',
    ),
    dict(type='LoadFacePrior', bank_file=prior_bank, num_neighbors=5, dense=True),
    dict(type='LoadAnnotations'),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
