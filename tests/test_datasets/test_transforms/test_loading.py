import os.path as osp

import numpy as np
import pytest
import torch.nn.functional as F
from mmseg.registry import DATASETS

from rednet_mmseg.datasets import LoadFaceLandmarks


def _dataset(root, pipeline, prefix='train'):
    return DATASETS.build(
        dict(
            type='HelenDataset',
            data_root=root,
            data_prefix=dict(
                img_path=f'images/{prefix}',
                seg_map_path=f'annotations/{prefix}',
                landmark_path=f'landmarks/{prefix}',
            ),
            pipeline=pipeline,
        )
    )


def _pipeline(root, steps, prefix='train', before=()):
    return _dataset(
        root,
        [
            dict(type='LoadImageFromFile'),
            dict(type='LoadAnnotations'),
            *before,
            dict(type='LoadFacePrior', bank_file=osp.join(root, 'prior_bank.npz'), num_neighbors=2),
            *steps,
            dict(type='PackFaceInputs'),
        ],
        prefix,
    )


def test_prior_follows_flip_with_left_right_swap(helen_converted):
    plain = _pipeline(helen_converted, [])[0]['data_samples']
    flip = [dict(type='RandomFlip', prob=1.0, swap_seg_labels=[(2, 3), (4, 5)])]
    flipped = _pipeline(helen_converted, flip)[0]['data_samples']
    expected = plain.face_prior.data.flip(-1)[[0, 1, 3, 2, 5, 4, 6, 7, 8, 9, 10]]
    assert np.allclose(flipped.face_prior.data.numpy(), expected.numpy())

    # and the prior agrees with the flipped labels as well as before flipping
    def agree(s):
        return (s.face_prior.data.argmax(0) == s.gt_sem_seg.data[0]).float().mean()

    assert abs(agree(plain) - agree(flipped)) < 1e-6


def test_prior_follows_crop_and_resize(helen_converted):
    """Resized before LoadFacePrior (rendered from the scaled points), cropped after it."""
    resize = [dict(type='LoadFaceLandmarks'), dict(type='Resize', scale=(80, 80), keep_ratio=True)]
    full = _pipeline(helen_converted, [], before=resize)
    crop = _pipeline(helen_converted, [dict(type='RandomCrop', crop_size=(40, 40))], before=resize)
    a, b = full[1], crop[1]
    img, sub = a['inputs'].numpy(), b['inputs'].numpy()
    hits = [
        (y, x)
        for y in range(img.shape[1] - 39)
        for x in range(img.shape[2] - 39)
        if np.array_equal(img[:, y : y + 40, x : x + 40], sub)
    ]
    assert hits, 'crop not found in the full image'
    y, x = hits[0]
    assert np.allclose(
        a['data_samples'].face_prior.data[:, y : y + 40, x : x + 40],
        b['data_samples'].face_prior.data,
    )


def test_image_without_landmarks(helen_converted, tmp_path):
    from rednet_mmseg.datasets import LoadFacePrior

    bank = osp.join(helen_converted, 'prior_bank.npz')
    img = np.zeros((50, 40, 3), np.uint8)
    with pytest.raises(ValueError, match='my_photo.jpg: no landmarks'):
        LoadFacePrior(bank)(dict(img=img, img_path='/x/my_photo.jpg'))
    table = tmp_path / 'landmarks.txt'
    table.write_text('my_photo.jpg 12 20 28 20 20 28 14 36 26 36\n')
    out = LoadFacePrior(bank, landmarks_file=str(table))(dict(img=img, img_path='/x/my_photo.jpg'))
    assert out['gt_prior'].shape == (50, 40, 11) and 'gt_prior' in out['seg_fields']
    with pytest.raises(FileNotFoundError, match='build_prior_bank.py'):
        LoadFacePrior(str(tmp_path / 'none.npz'))(
            dict(img=img, img_path='a.jpg', landmark_path=None)
        )


def test_bad_landmark_file(tmp_path):
    bad = tmp_path / 'bad.txt'
    bad.write_text('1 2\n3 4\n')
    with pytest.raises(ValueError, match='bad.txt: expected 5'):
        LoadFaceLandmarks()(dict(landmark_path=str(bad)))
    with pytest.raises(ValueError, match='missing.txt: missing or malformed'):
        LoadFaceLandmarks()(dict(landmark_path=str(tmp_path / 'missing.txt')))


def test_no_landmark_path_is_a_clear_error():
    with pytest.raises(ValueError, match='a.jpg: no landmark file'):
        LoadFaceLandmarks()(dict(img_path='/x/a.jpg'))


def test_landmarks_from_a_table_for_own_photos(tmp_path):
    table = tmp_path / 'lm.txt'
    table.write_text('selfie.png 10 20 30 20 20 30 12 40 28 40\n')
    out = LoadFaceLandmarks(landmarks_file=str(table))(dict(img_path='/p/selfie.png'))
    np.testing.assert_allclose(
        out['gt_keypoints'][0, :, :2], [[10, 20], [30, 20], [20, 30], [12, 40], [28, 40]]
    )
    with pytest.raises(ValueError, match='other.jpg: no landmarks'):
        LoadFaceLandmarks(landmarks_file=str(table))(dict(img_path='/p/other.jpg'))


# ---------------------------------------------------------------- the dense prior (68 points)
def _dense_config_pipelines(root, table):
    """The dense config's train and test pipelines with this tree's table and bank."""
    from mmengine.config import Config

    cfg = Config.fromfile(
        'configs/cpu/rednet_re5-tiny-rd5a_1xb8-denseprior-bayes-wce-finetune-1500it_helen-128x128.py'
    )
    out = {}
    for key in ('train_pipeline', 'test_pipeline'):
        steps = []
        for step in cfg[key]:
            step = dict(step)
            if step['type'] == 'LoadFaceLandmarks':
                step['dense_landmarks_file'] = table
            if step['type'] == 'LoadFacePrior':
                step['bank_file'] = osp.join(root, 'prior_bank_dense.npz')
            steps.append(step)
        out[key] = steps
    return out


def test_dense_config_pipelines_render_the_dense_prior(helen_dense):
    root, table, bank = helen_dense
    pipelines = _dense_config_pipelines(root, table)
    for key, prefix in (('train_pipeline', 'train'), ('test_pipeline', 'test')):
        sample = _dataset(root, pipelines[key], prefix)[0]['data_samples']
        prior = sample.face_prior.data
        labels = sample.gt_sem_seg.data[0]
        if key == 'test_pipeline':  # rendered at the network's scale, labels at the photo's
            labels = F.interpolate(labels[None, None].float(), prior.shape[1:])[0, 0].long()
        assert prior.shape[1:] == labels.shape
        valid = labels != 255  # the canvas beyond the photo: ignored, and no prior there
        # a distribution inside the photo; on its one-pixel rim the resampled prior blends with
        # the empty canvas (labels are resampled by nearest neighbour, the prior bilinearly)
        inner = ~F.max_pool2d((~valid)[None, None].float(), 3, 1, 1)[0, 0].bool()
        np.testing.assert_allclose(prior.sum(0)[inner].numpy(), 1, atol=1e-3)
        agree = float((prior.argmax(0) == labels)[valid].float().mean())
        assert agree > 0.6, (key, agree)  # mostly right, as the 5-point prior


def test_dense_landmarks_from_memory_or_the_table(helen_dense):
    root, table, _ = helen_dense
    from rednet_mmseg.datasets.landmark_table import LandmarkError, read_landmark_table

    name = sorted(read_landmark_table(table, 68))[0]
    pts68 = read_landmark_table(table, 68)[name]
    five = np.arange(10, dtype=np.float32).reshape(5, 2) + 20
    img = np.zeros((200, 200, 3), np.uint8)
    from_memory = LoadFaceLandmarks(dense=True)(
        dict(img=img, img_path=f'x/{name}.jpg', face_landmarks=np.concatenate([five, pts68]))
    )
    assert from_memory['gt_keypoints'].shape == (1, 73, 3)
    np.testing.assert_array_equal(from_memory['gt_keypoints'][0, :5, :2], five)
    np.testing.assert_array_equal(from_memory['gt_keypoints'][0, 5:, :2], pts68)
    from_table = LoadFaceLandmarks(dense=True, dense_landmarks_file=table)(
        dict(img=img, img_path=f'x/{name}.jpg', face_landmarks=five)
    )
    np.testing.assert_array_equal(from_table['gt_keypoints'], from_memory['gt_keypoints'])
    with pytest.raises(LandmarkError, match=r'x/nobody.jpg: no 68 face points'):
        LoadFaceLandmarks(dense=True, dense_landmarks_file=table)(
            dict(img=img, img_path='x/nobody.jpg', face_landmarks=five)
        )


def test_dense_prior_needs_the_68_points_and_a_dense_bank(helen_dense):
    from rednet_mmseg.datasets import LoadFacePrior

    root, table, _ = helen_dense
    img = np.zeros((120, 100, 3), np.uint8)
    five = np.array([[40, 50], [60, 50], [50, 62], [42, 72], [58, 72]], np.float32)
    results = LoadFaceLandmarks()(dict(img=img, img_path='x/a.jpg', face_landmarks=five))
    dense_bank = osp.join(root, 'prior_bank_dense.npz')
    with pytest.raises(ValueError, match=r'x/a.jpg: .*LoadFaceLandmarks\(dense=True\) before it'):
        LoadFacePrior(dense_bank, dense=True)(dict(results))
    from rednet_mmseg.testing.dense_points import points68_from_5

    dense = LoadFaceLandmarks(dense=True)(
        dict(
            img=img,
            img_path='x/a.jpg',
            face_landmarks=np.concatenate([five, points68_from_5(five)]),
        )
    )
    plain_bank = osp.join(root, 'prior_bank.npz')
    with pytest.raises(ValueError, match=f'{plain_bank}: this prior bank has no 68-point shapes'):
        LoadFacePrior(plain_bank, dense=True)(dict(dense))
    out = LoadFacePrior(dense_bank, num_neighbors=2, dense=True)(dict(dense))
    assert out['gt_prior'].shape == (120, 100, 11)


def test_dense_prior_cache_renders_each_photo_once(helen_dense, monkeypatch):
    from rednet_mmseg.datasets import LoadFacePrior
    from rednet_mmseg.datasets.prior_bank import PriorBank
    from rednet_mmseg.testing.dense_points import points68_from_5

    root, _, _ = helen_dense
    img = np.zeros((120, 100, 3), np.uint8)
    five = np.array([[40, 50], [60, 50], [50, 62], [42, 72], [58, 72]], np.float32)
    points = np.concatenate([five, points68_from_5(five)])
    step = LoadFacePrior(osp.join(root, 'prior_bank_dense.npz'), 2, dense=True, cache=True)
    calls = []
    render = PriorBank.dense_votes
    monkeypatch.setattr(
        PriorBank, 'dense_votes', lambda *a, **k: calls.append(1) or render(*a, **k)
    )

    def prior(pts):
        results = LoadFaceLandmarks(dense=True)(
            dict(img=img, img_path='x/a.jpg', face_landmarks=pts)
        )
        return step(results)['gt_prior']

    first, again = prior(points), prior(points)
    assert len(calls) == 1 and np.array_equal(first, again)  # the same photo: from the cache
    moved = points + [3, 0]
    assert not np.array_equal(prior(moved), first) and len(calls) == 2  # other points: rendered
