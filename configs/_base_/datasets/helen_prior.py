# Helen with the adaptive prior's inputs, derived from helen.py (same augmentation): the kNN
# prior (LoadFacePrior) right after the landmarks, before any geometric transform, so it moves
# with the image; PackFaceInputs packs it. The bank is built once by
# `python tools/misc/build_prior_bank.py data/helen` (bank = val split, as in the paper).
_base_ = ['./helen.py']
prior_bank = 'data/helen/prior_bank.npz'
load_prior = dict(type='LoadFacePrior', bank_file=prior_bank, num_neighbors=5)


def _with_prior(pipeline):
    out = []
    for t in pipeline:
        out.append(dict(t, type='PackFaceInputs') if t['type'] == 'PackSegInputs' else t)
        if t['type'] == 'LoadFaceLandmarks':
            out.append(load_prior)
    return out


train_pipeline = _with_prior(_base_.train_pipeline)
test_pipeline = _with_prior(_base_.test_pipeline)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
