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


def test_accurate_fine_tunes_with_the_dense_prior_from_given_68_points(
    hair_skin, tmp_path, tool_main
):
    """`--model accurate`: 68-point tables per split, a dense bank, the soft-F1 term fitted.

    Generated faces carry no points dlib finds, so the 68 points are given (ROOT/landmarks68/,
    made from the 5 by a fixed template).
    """
    import shutil

    import numpy as np

    from rednet_mmseg.datasets.landmark_table import read_landmark_table, write_landmark_table
    from rednet_mmseg.datasets.prior_bank import PriorBank
    from rednet_mmseg.testing.dense_points import points68_from_5

    root = tmp_path / 'hair_skin68'
    shutil.copytree(hair_skin, root)
    for split in ('train', 'val', 'test'):
        five = read_landmark_table(str(root / 'landmarks' / f'{split}.txt'))
        (root / 'landmarks68').mkdir(exist_ok=True)
        write_landmark_table(
            str(root / 'landmarks68' / f'{split}.txt'),
            {k: points68_from_5(v) for k, v in five.items()},
        )
    work = tmp_path / 'work'
    r = tool_main(
        'finetune_faces.py', root, '--work-dir', work, '--iters', 2, '--batch-size', 2,
        '--model', 'accurate',
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    cfg = Config.fromfile(str(work / 'finetune_accurate_hair_skin68.py'))
    losses = {loss['type']: loss for loss in cfg.model.decode_head.loss_decode}
    assert len(losses['FaceCrossEntropyLoss']['class_weight']) == 3
    assert losses['FaceDiceLoss']['classes'] == [1, 2]  # every class but the background
    for loader, split in (('train_dataloader', 'train'), ('test_dataloader', 'test')):
        steps = [t for t in cfg[loader].dataset.pipeline if t['type'] == 'LoadFaceLandmarks']
        assert steps and all(
            t['dense_landmarks_file'] == str(root / 'landmarks68' / f'{split}.txt') for t in steps
        )
    bank = PriorBank.load(str(work / 'prior_bank.npz'))
    assert bank.has_dense and len(bank.names) == 4
    assert 'mean F1 (classes but background):' in r.stdout
    assert np.isfinite(float(r.stdout.split('mean F1 (classes but background):')[1].split()[0]))


def test_accurate_names_a_missing_68_point_row(hair_skin, tmp_path, tool_main):
    import shutil

    from rednet_mmseg.datasets.landmark_table import read_landmark_table, write_landmark_table
    from rednet_mmseg.testing.dense_points import points68_from_5

    root = tmp_path / 'short68'
    shutil.copytree(hair_skin, root)
    (root / 'landmarks68').mkdir()
    for split in ('train', 'val', 'test'):
        five = read_landmark_table(str(root / 'landmarks' / f'{split}.txt'))
        rows = {k: points68_from_5(v) for k, v in five.items()}
        if split == 'train':
            rows.pop(sorted(rows)[0])
        write_landmark_table(str(root / 'landmarks68' / f'{split}.txt'), rows)
    work = tmp_path / 'work'
    r = tool_main(
        'finetune_faces.py', root, '--work-dir', work, '--iters', 1, '--model', 'accurate'
    )
    assert r.returncode == 1
    assert f'{root}/landmarks68/train.txt: no key points for' in r.stderr
    assert not work.exists()
