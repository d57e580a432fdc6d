# CPU-sized RED-Net + adaptive prior on the SYNTHETIC Helen-format data (quick start): the
# pipelines of the config without the prior, with the kNN prior loaded before the first
# geometric transform (so it moves with the image) and packed by PackFaceInputs.
_base_ = ['./rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py']
prior_bank = 'data/helen_synthetic/prior_bank.npz'
# the paper's sum (Eq. 7-8), PriorEncoderDecoder's default, set here explicitly
model = dict(type='PriorEncoderDecoder', prior_in_train=True, prior_in_test=True, combine='sum')


def _with_prior(pipeline):
    first_geometric = next(i for i, t in enumerate(pipeline) if t['type'] == 'Resize')
    out = [dict(t, type='PackFaceInputs') if t['type'] == 'PackSegInputs' else t for t in pipeline]
    return (
        out[:first_geometric]
        + [dict(type='LoadFacePrior', bank_file=prior_bank)]
        + out[first_geometric:]
    )


train_pipeline = _with_prior(_base_.train_pipeline)
test_pipeline = _with_prior(_base_.test_pipeline)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
