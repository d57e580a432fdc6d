"""Identity pretraining (paper Eq. 3-4) with mmpretrain, end to end.

On generated identities, then units 1-5 into RedNetEncoder through init_cfg.
"""

import torch

from rednet_mmseg.models import RedNetEncoder
from rednet_mmseg.testing import make_synthetic_identities
from rednet_mmseg.testing.tool_runner import run_process

CONFIG = 'configs/pretrain/rednet-identity_re6_1xb64-18e_casia-224x224.py'


def _run(args, cwd):
    res = run_process(cwd, *args, check=True)
    return res.stdout + res.stderr


def test_pretrain_convert_and_load(tmp_path, repo_root):
    make_synthetic_identities(str(tmp_path / 'ids'), num_identities=3, per_identity=4)
    work = tmp_path / 'work'
    log = _run(
        [
            'tools/train.py',
            CONFIG,
            '--work-dir',
            str(work),
            '--cfg-options',
            'model.backbone.arch=tiny',
            'model.head.in_channels=128',
            'model.head.num_classes=3',
            'data_preprocessor.num_classes=3',
            f'train_dataloader.dataset.data_root={tmp_path / "ids"}',
            'train_dataloader.batch_size=4',
            'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False',
            'train_cfg.max_epochs=1',
        ],
        repo_root,
    )
    assert 'Epoch(train) [1][3/3]' in log  # 12 images of 3 identities, batch 4
    out = tmp_path / 're5.pth'
    log = _run(
        ['tools/model_converters/identity_to_rednet.py', str(work / 'epoch_1.pth'), str(out)],
        repo_root,
    )
    assert 'units 0, 1, 2, 3, 4' in log
    trained = torch.load(work / 'epoch_1.pth', map_location='cpu', weights_only=False)
    trained = trained['state_dict']
    assert any(k.startswith('backbone.units.5.') for k in trained)  # six units pretrained
    enc = RedNetEncoder(arch='tiny', init_cfg=dict(type='Pretrained', checkpoint=str(out)))
    enc.init_weights()
    for key, value in enc.state_dict().items():
        assert torch.equal(value, trained[f'backbone.{key}']), key
    assert len(enc.units) == 5  # the sixth unit is dropped
