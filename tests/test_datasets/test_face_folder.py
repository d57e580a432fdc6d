"""A face folder of your own: read as a data set, and every problem named before training."""

import os
import os.path as osp

import cv2
import numpy as np
import pytest

from rednet_mmseg.datasets import FaceFolderDataset
from rednet_mmseg.datasets.face_folder import find_folder_problems, read_classes
from rednet_mmseg.datasets.landmark_table import read_landmark_table, write_landmark_table
from rednet_mmseg.testing.face_folder import make_face_folder


@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('faces'))
    names = make_face_folder(root, dict(train=3, val=1, test=2), size_range=(60, 80))
    return root, names


def _copy(folder, tmp_path):
    import shutil

    dst = str(tmp_path / 'copy')
    shutil.copytree(folder[0], dst)
    return dst


def test_reads_classes_images_labels_and_key_points(folder):
    from mmengine.registry import init_default_scope

    init_default_scope('mmseg')
    root, names = folder
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='LoadFaceLandmarks'),
    ]
    ds = FaceFolderDataset(split='train', data_root=root, pipeline=pipeline)
    assert ds.metainfo['classes'] == ('background', 'skin', 'hair') and len(ds) == 3
    sample = ds[0]
    assert sample['gt_keypoints'].shape == (1, 5, 3)
    assert set(np.unique(sample['gt_seg_map'])) <= {0, 1, 2}
    assert osp.basename(sample['img_path']) == names['train'][0] + '.jpg'


def test_a_clean_folder_has_no_problem(folder):
    assert find_folder_problems(folder[0]) == []


def test_every_problem_is_named(folder, tmp_path):
    root = _copy(folder, tmp_path)
    ann = osp.join(root, 'annotations')
    # a label value outside the 3 classes
    bad = cv2.imread(osp.join(ann, 'train', 'train_000.png'), cv2.IMREAD_UNCHANGED)
    bad[0, 0] = 7
    cv2.imwrite(osp.join(ann, 'train', 'train_000.png'), bad)
    # a label map of another size
    cv2.imwrite(osp.join(ann, 'train', 'train_001.png'), np.zeros((5, 5), np.uint8))
    # an image without a label map, a label map without an image
    os.remove(osp.join(ann, 'test', 'test_000.png'))
    cv2.imwrite(osp.join(ann, 'val', 'stray.png'), np.zeros((5, 5), np.uint8))
    # key points outside the image
    table_path = osp.join(root, 'landmarks', 'test.txt')
    table = read_landmark_table(table_path)
    table['test_001'] = table['test_001'] + 1e5
    write_landmark_table(table_path, table)
    problems = '\n'.join(find_folder_problems(root))
    assert 'train_000.png: label value(s) [7] outside the 3 classes' in problems
    assert 'train_001.png: 5x5, its image is' in problems
    assert 'test_000.jpg: no label map' in problems
    assert 'stray.png: a label map without an image' in problems
    assert 'landmarks of' in problems and 'test_001.jpg lie far outside' in problems


def test_classes_file_checked(tmp_path):
    with pytest.raises(FileNotFoundError, match='classes.txt: not found'):
        read_classes(str(tmp_path))
    (tmp_path / 'classes.txt').write_text('background\nskin\nskin\n')
    with pytest.raises(ValueError, match='listed twice: skin'):
        read_classes(str(tmp_path))
    assert find_folder_problems(str(tmp_path))[0].endswith('listed twice: skin')
