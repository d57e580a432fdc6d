"""set_step_args: pipeline steps set by type in every loader, TTA branches included."""

from mmengine.config import Config

from rednet_mmseg.utils.pipeline_edit import set_step_args


def _cfg():
    prior = dict(type='LoadFacePrior', bank_file='old.npz')
    tta = dict(
        type='TestTimeAug',
        transforms=[[dict(type='LoadFaceLandmarks'), prior], [dict(type='PackFaceInputs')]],
    )
    return Config(
        dict(
            train_pipeline=[dict(type='LoadImageFromFile'), prior],
            train_dataloader=dict(dataset=dict(pipeline=[dict(type='LoadImageFromFile'), prior])),
            val_dataloader=None,  # a config without validation
            test_dataloader=dict(dataset=dict(pipeline=[dict(type='LoadImageFromFile'), tta])),
        )
    )


def test_sets_every_step_of_the_type_wherever_it_is():
    cfg = _cfg()
    assert set_step_args(cfg, ['LoadFacePrior'], bank_file='new.npz') == 3
    assert cfg.train_pipeline[1].bank_file == 'new.npz'
    assert cfg.train_dataloader.dataset.pipeline[1].bank_file == 'new.npz'
    branch = cfg.test_dataloader.dataset.pipeline[1].transforms[0]
    assert branch[1].bank_file == 'new.npz' and 'bank_file' not in branch[0]


def test_nothing_of_the_type_sets_nothing():
    cfg = _cfg()
    assert set_step_args(cfg, ['RandomRotate'], prob=1.0) == 0
    assert 'prob' not in cfg.train_dataloader.dataset.pipeline[0]
