"""tools/finetune_faces.py: the guide's worked example (docs/en/finetune.md) at a tiny size."""

import os
import os.path as osp

import pytest
from mmengine.config import Config

from rednet_mmseg.testing.face_folder import make_face_folder


@pytest.fixture(scope='module')
def hair_skin(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('hair_skin'))
    make_face_folder(root, dict(train=4, val=1, test=2), size_range=(70, 90))
    return root


def test_fine_tunes_scores_and_writes_a_rerunnable_config(hair_skin, tmp_path, tool_main):
    work = tmp_path / 'work'
    before = sorted(os.listdir(hair_skin))
    r = tool_main(
        'finetune_faces.py', hair_skin, '--work-dir', work, '--iters', 2, '--batch-size', 2
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert sorted(os.listdir(hair_skin)) == before  # the folder is never written to
    config = work / 'finetune_fast_hair_skin0.py'
    assert f'config: {config}' in r.stdout
    cfg = Config.fromfile(str(config))
    assert cfg.model.decode_head.num_classes == 3 and cfg.train_cfg.max_iters == 2
    assert cfg.train_dataloader.dataset.type == 'FaceFolderDataset'
    # no left/right classes among background, skin, hair: nothing is swapped
    flips = [t for t in cfg.train_dataloader.dataset.pipeline if 'swap_seg_labels' in t]
    assert flips and all(t['swap_seg_labels'] == [] for t in flips)
    assert (work / 'iter_2.pth').is_file() and (work / 'prior_bank.npz').is_file()
    assert 'mean F1 (classes but background):' in r.stdout
    assert 'F1 per class: background' in r.stdout and 'hair' in r.stdout
    assert 'decode_head.conv_seg.weight' in r.stdout + r.stderr  # the new classifier, reported
    assert f'python tools/parse_faces.py {config} {work}/iter_2.pth' in r.stdout


def test_left_right_classes_get_mirrored_pairs(tmp_path):
    from rednet_mmseg.apis.finetune import finetune_config, prepare_prior_bank

    root = str(tmp_path / 'sides')
    classes = ('background', 'skin', 'l_eye', 'r_eye', 'hair')
    helen_to = (0, 1, 1, 1, 2, 3, 1, 1, 1, 1, 4)  # Helen's left/right eyes kept apart
    make_face_folder(root, dict(train=2, test=1), classes, helen_to, size_range=(60, 70))
    tables = {s: osp.join(root, 'landmarks', f'{s}.txt') for s in ('train', 'test')}
    bank = prepare_prior_bank(root, tables, str(tmp_path / 'bank.npz'), len(classes))
    cfg = finetune_config(root, str(tmp_path / 'w'), tables, bank, iters=3)
    flip = next(t for t in cfg.train_dataloader.dataset.pipeline if 'swap_seg_labels' in t)
    assert [tuple(p) for p in flip['swap_seg_labels']] == [(2, 3)]
    assert cfg.val_dataloader is None  # no val split: no validation
    assert cfg.test_evaluator['protocol'] == 'mean_f1'


def test_a_bad_folder_is_refused_before_anything_trains(hair_skin, tmp_path, tool_main):
    import shutil

    import cv2
    import numpy as np

    root = str(tmp_path / 'bad')
    shutil.copytree(hair_skin, root)
    label = osp.join(root, 'annotations', 'train', 'train_000.png')
    cv2.imwrite(label, np.full((3, 3), 9, np.uint8))
    work = tmp_path / 'work'
    r = tool_main('finetune_faces.py', root, '--work-dir', work, '--iters', 1)
    assert r.returncode == 1
    assert 'train_000.png: 3x3, its image is' in r.stderr
    assert not work.exists()  # nothing half-made stays behind
    # a work directory with someone else's files is refused
    other = tmp_path / 'other'
    other.mkdir()
    (other / 'notes.txt').write_text('mine')
    r = tool_main('finetune_faces.py', hair_skin, '--work-dir', other, '--iters', 1)
    assert r.returncode == 1 and 'not written by this tool' in r.stderr
    assert (other / 'notes.txt').read_text() == 'mine'
