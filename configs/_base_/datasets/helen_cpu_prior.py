# helen_cpu.py with the adaptive prior's inputs, the same way helen_prior.py derives them from
# helen.py: LoadFacePrior right after the landmarks (before any geometric transform, so the
# prior moves with the image) and PackFaceInputs. Bank: `tools/misc/build_prior_bank.py`.
_base_ = ['./helen_cpu.py']
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
