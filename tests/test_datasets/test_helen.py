import os.path as osp

import numpy as np
import pytest
from mmseg.registry import DATASETS

from rednet_mmseg.datasets import HelenDataset


def _cfg(root, split='train', **kwargs):
    return dict(
        type='HelenDataset',
        data_root=root,
        data_prefix=dict(
            img_path=f'images/{split}',
            seg_map_path=f'annotations/{split}',
            landmark_path=f'landmarks/{split}',
        ),
        **kwargs,
    )


def test_loads_converted_tree_with_landmarks(helen_converted, helen_release):
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='LoadFaceLandmarks'),
        dict(type='PackSegInputs', meta_keys=('img_path', 'gt_keypoints')),
    ]
    ds = DATASETS.build(_cfg(helen_converted, 'val', pipeline=pipeline))
    assert isinstance(ds, HelenDataset) and len(ds) == 3
    assert ds.metainfo['classes'][10] == 'hair' and len(ds.metainfo['palette']) == 11
    sample = ds[0]
    seg = sample['data_samples'].gt_sem_seg.data.numpy()[0]
    name = osp.splitext(osp.basename(sample['data_samples'].img_path))[0]
    assert np.array_equal(seg, helen_release[2][name])
    assert sample['data_samples'].gt_keypoints.shape == (1, 5, 3)


def test_flip_swaps_left_right_labels(helen_converted):
    """Mmcv's RandomFlip(swap_seg_labels=...) mirrors the map and swaps brows/eyes."""
    base = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]
    plain = DATASETS.build(_cfg(helen_converted, pipeline=base))[0]['gt_seg_map']
    flip = base + [dict(type='RandomFlip', prob=1.0, swap_seg_labels=[(2, 3), (4, 5)])]
    flipped = DATASETS.build(_cfg(helen_converted, pipeline=flip))[0]['gt_seg_map']
    expected = plain[:, ::-1].copy()
    for a, b in [(2, 3), (4, 5)]:
        expected[plain[:, ::-1] == a], expected[plain[:, ::-1] == b] = b, a
    assert np.array_equal(flipped, expected)


def test_wrong_data_root_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='check data_root'):
        DATASETS.build(_cfg(str(tmp_path / 'missing')))
