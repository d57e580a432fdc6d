import os.path as osp

import numpy as np
import pytest
from mmseg.registry import DATASETS

from rednet_mmseg.datasets import LoadFaceLandmarks


def _pipeline(root, steps, prefix='train', before=()):
    cfg = dict(
        type='HelenDataset',
        data_root=root,
        data_prefix=dict(
            img_path=f'images/{prefix}',
            seg_map_path=f'annotations/{prefix}',
            landmark_path=f'landmarks/{prefix}',
        ),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadAnnotations'),
            *before,
            dict(type='LoadFacePrior', bank_file=osp.join(root, 'prior_bank.npz'), num_neighbors=2),
            *steps,
            dict(type='PackFaceInputs'),
        ],
    )
    return DATASETS.build(cfg)


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
