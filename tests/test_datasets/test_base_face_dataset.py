"""BaseFaceDataset: landmark paths where the data set has them, clear errors when built."""

import os
import os.path as osp
import shutil

import pytest
from mmseg.registry import DATASETS


def _build(root, **prefix):
    return DATASETS.build(
        dict(
            type='HelenDataset',
            data_root=root,
            pipeline=[],
            data_prefix=dict(img_path='images/val', seg_map_path='annotations/val', **prefix),
        )
    )


def test_landmark_path_per_sample_when_the_folder_exists(helen_converted, tmp_path):
    ds = _build(helen_converted, landmark_path='landmarks/val')
    for info in ds.data_list:
        stem = osp.splitext(osp.basename(info['img_path']))[0]
        assert info['landmark_path'] == osp.join(helen_converted, 'landmarks', 'val', stem + '.txt')
        assert osp.isfile(info['landmark_path'])
    # a data set without landmarks (LFW-PL, CelebAMask-HQ) simply has no such folder
    copy = tmp_path / 'helen'
    shutil.copytree(helen_converted, copy)
    shutil.rmtree(copy / 'landmarks')
    assert all(
        'landmark_path' not in i for i in _build(str(copy), landmark_path='landmarks/val').data_list
    )


def test_errors_name_what_is_wrong(helen_converted, tmp_path):
    with pytest.raises(
        FileNotFoundError,
        match='image directory .*images/val not found '
        r'\(check data_root=',
    ):
        _build(str(tmp_path))
    copy = tmp_path / 'helen'
    shutil.copytree(helen_converted, copy)
    victim = sorted(os.listdir(copy / 'annotations' / 'val'))[0]
    os.remove(copy / 'annotations' / 'val' / victim)
    with pytest.raises(Exception, match=f'1 image\\(s\\) in .* have no label map, e.g. .*{victim}'):
        _build(str(copy))
