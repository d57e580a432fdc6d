"""FaceParsingInferencer is called like MMSegInferencer; label maps are named after images."""

import os

import numpy as np
import torch
from mmengine.config import Config
from mmseg.registry import MODELS
from PIL import Image

from rednet_mmseg.apis import FaceParsingInferencer
from rednet_mmseg.datasets import HelenDataset

PRIOR = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-prior-1k_synthhelen-128x128.py'


def test_prior_config_in_python(helen_converted, tmp_path, repo_root):
    cfg = Config.fromfile(os.path.join(repo_root, PRIOR))
    model = MODELS.build(cfg.model)
    ckpt = tmp_path / 'tiny.pth'
    torch.save(
        dict(state_dict=model.state_dict(), meta=dict(dataset_meta=dict(HelenDataset.METAINFO))),
        ckpt,
    )
    img_dir = os.path.join(helen_converted, 'images', 'val')
    names = sorted(os.listdir(img_dir))
    table = tmp_path / 'lm.txt'
    table.write_text(
        ''.join(
            n
            + ' '
            + ' '.join(
                open(os.path.join(helen_converted, 'landmarks', 'val', n[:-4] + '.txt'))
                .read()
                .split()
            )
            + '\n'
            for n in names
        )
    )
    inferencer = FaceParsingInferencer(
        cfg,
        str(ckpt),
        landmarks_file=str(table),
        device='cpu',
        prior_bank=os.path.join(helen_converted, 'prior_bank.npz'),
    )
    assert inferencer.uses_prior and inferencer.model.dataset_meta['classes'][10] == 'hair'
    paths = [os.path.join(img_dir, n) for n in names]
    out = inferencer(paths, out_dir=str(tmp_path / 'out'), return_vis=True)
    assert len(out['predictions']) == len(names) and len(out['visualization']) == len(names)
    for n, pred in zip(names, out['predictions']):
        saved = np.array(Image.open(tmp_path / 'out' / 'pred' / (n[:-4] + '.png')))
        assert np.array_equal(saved, pred.astype(np.uint8))
    assert sorted(os.listdir(tmp_path / 'out' / 'vis')) == names


def test_landmarks_detected_when_not_given(helen_converted, tmp_path, repo_root):
    """No landmarks_file: the 5 points of each image are detected (a real photograph)."""
    import pytest

    pytest.importorskip('dlib')
    from matplotlib.cbook import get_sample_data

    cfg = Config.fromfile(os.path.join(repo_root, PRIOR))
    ckpt = tmp_path / 'tiny.pth'
    torch.save(
        dict(
            state_dict=MODELS.build(cfg.model).state_dict(),
            meta=dict(dataset_meta=dict(HelenDataset.METAINFO)),
        ),
        ckpt,
    )
    inferencer = FaceParsingInferencer(
        cfg, str(ckpt), device='cpu', prior_bank=os.path.join(helen_converted, 'prior_bank.npz')
    )
    assert inferencer.needs_landmarks and inferencer.landmarks_file is None
    photo = get_sample_data('grace_hopper.jpg', asfileobj=False)
    out = inferencer([photo], out_dir=str(tmp_path / 'out'))
    assert out['predictions'].shape == (600, 512)
    assert os.listdir(tmp_path / 'out' / 'pred') == ['grace_hopper.png']
    assert inferencer.landmarks_file is None  # the temporary table is gone again
