"""The synthetic LFW-PL / LaPa / CelebAMask-HQ releases follow their original formats."""

import os

import cv2
import numpy as np

from rednet_mmseg.testing import (
    make_synthetic_celebamask_hq,
    make_synthetic_lapa,
    make_synthetic_lfw,
)


def test_lfw_colours_and_split_lines(tmp_path):
    names, labels = make_synthetic_lfw(str(tmp_path), counts=(1, 1, 1), seed=0)
    name = names['train'][0]
    person, num = name.rsplit('_', 1)
    assert (tmp_path / 'parts_train.txt').read_text() == f'{person} {int(num)}\n'
    rgb = cv2.imread(str(tmp_path / 'parts_lfw_funneled_gt_images' / f'{name}.ppm'))[..., ::-1]
    colours = {tuple(c) for c in rgb.reshape(-1, 3)}
    assert colours <= {(0, 0, 255), (0, 255, 0), (255, 0, 0)}  # pure blue / green / red
    assert (tmp_path / 'lfw_funneled' / person / f'{name}.jpg').is_file()


def test_lapa_landmark_files(tmp_path):
    names, labels, points = make_synthetic_lapa(str(tmp_path), counts=(1, 1, 1), seed=0)
    name = names['test'][0]
    lines = (tmp_path / 'test' / 'landmarks' / f'{name}.txt').read_text().splitlines()
    assert lines[0] == '106' and len(lines) == 107
    label = cv2.imread(str(tmp_path / 'test' / 'labels' / f'{name}.png'), 0)
    assert np.array_equal(label, labels[name]) and label.max() <= 10


def test_celebamask_masks_and_partition(tmp_path):
    names, labels = make_synthetic_celebamask_hq(str(tmp_path), counts=(1, 0, 1), seed=0, size=600)
    idx = names['train'][0]
    masks = os.listdir(tmp_path / 'CelebAMask-HQ-mask-anno' / str(int(idx) // 2000))
    assert any(m.startswith(f'{int(idx):05d}_') for m in masks)
    assert cv2.imread(str(tmp_path / 'CelebA-HQ-img' / f'{idx}.jpg')).shape == (600, 600, 3)
    assert (tmp_path / 'list_eval_partition.txt').is_file()
