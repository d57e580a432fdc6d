"""Synthetic faces in the original LFW-PL, LaPa and CelebAMask-HQ formats, for tests.

The formats are in ``docs/en/data_formats.md``. Faces are drawn as in :mod:`synthetic_helen`.
"""

import os
import os.path as osp
from typing import Dict, Tuple

import cv2
import numpy as np

from ..datasets.celebamask_hq import CELEBAMASK_CLASSES
from .synthetic_helen import _draw_labels, _face_geometry, _render_image

#: Helen label -> CelebAMask-HQ part
HELEN_TO_CELEBAMASK = {
    1: 'skin',
    2: 'l_brow',
    3: 'r_brow',
    4: 'l_eye',
    5: 'r_eye',
    6: 'nose',
    7: 'u_lip',
    8: 'mouth',
    9: 'l_lip',
    10: 'hair',
}


def _face(rng, w, h):
    shapes = _face_geometry(rng, w, h)
    label = _draw_labels(shapes, h, w)
    return shapes, label, _render_image(rng, label)


def make_synthetic_lfw(
    root: str, counts=(4, 2, 2), seed: int = 0
) -> Tuple[Dict[str, list], Dict[str, np.ndarray]]:
    """LFW-PL layout; returns ``(split -> names, name -> 3-class label)``."""
    rng = np.random.default_rng(seed)
    files = dict(train='parts_train.txt', val='parts_validation.txt', test='parts_test.txt')
    os.makedirs(osp.join(root, 'parts_lfw_funneled_gt_images'), exist_ok=True)
    names, labels = {}, {}
    for (split, fname), n in zip(files.items(), counts):
        names[split] = []
        lines = []
        for i in range(n):
            person, num = f'Person_{split.title()}{i}', int(rng.integers(1, 30))
            name = f'{person}_{num:04d}'
            _, helen, img = _face(rng, 250, 250)
            label = np.where(helen == 10, 2, np.where(helen > 0, 1, 0)).astype(np.uint8)
            os.makedirs(osp.join(root, 'lfw_funneled', person), exist_ok=True)
            cv2.imwrite(osp.join(root, 'lfw_funneled', person, f'{name}.jpg'), img)
            rgb = np.array([[0, 0, 255], [0, 255, 0], [255, 0, 0]], np.uint8)[label]
            cv2.imwrite(
                osp.join(root, 'parts_lfw_funneled_gt_images', f'{name}.ppm'), rgb[..., ::-1]
            )
            lines.append(f'{person} {num}\n')
            names[split].append(name)
            labels[name] = label
        with open(osp.join(root, fname), 'w') as f:
            f.writelines(lines)
    return names, labels


def make_synthetic_lapa(root: str, counts=(4, 2, 2), seed: int = 0):
    """LaPa layout; returns ``(split -> names, name -> label, name -> (5, 2) key points)``."""
    rng = np.random.default_rng(seed)
    names, labels, points = {}, {}, {}
    for split, n in zip(('train', 'val', 'test'), counts):
        for sub in ('images', 'labels', 'landmarks'):
            os.makedirs(osp.join(root, split, sub), exist_ok=True)
        names[split] = []
        for i in range(n):
            name = f'{rng.integers(10**9, 10**10)}_{i}'
            w = int(rng.integers(120, 160))
            shapes, label, img = _face(rng, w, int(w * 1.1))
            pts = np.repeat(shapes['jaw'][:1], 106, axis=0)
            pts[:33] = shapes['jaw'][np.linspace(0, 40, 33).astype(int)]
            pts[104], pts[105] = shapes['eye_a'].mean(0), shapes['eye_b'].mean(0)
            pts[46] = shapes['nose'][8]
            lips = shapes['outer_lips']
            pts[84], pts[90] = lips[lips[:, 0].argmin()], lips[lips[:, 0].argmax()]
            cv2.imwrite(osp.join(root, split, 'images', f'{name}.jpg'), img)
            cv2.imwrite(osp.join(root, split, 'labels', f'{name}.png'), label)
            with open(osp.join(root, split, 'landmarks', f'{name}.txt'), 'w') as f:
                f.write('106\n')
                f.writelines(f'{x:.2f} {y:.2f}\n' for x, y in pts)
            names[split].append(name)
            labels[name] = label
            points[name] = pts[[104, 105, 46, 84, 90]]
    return names, labels, points


def make_synthetic_celebamask_hq(root: str, counts=(3, 2, 2), seed: int = 0, size=1024):
    """CelebAMask-HQ layout (+ CelebA's list_eval_partition.txt in ``root``).

    Returns ``(split -> HQ indices, index -> 512x512 merged label)``.
    """
    rng = np.random.default_rng(seed)
    os.makedirs(osp.join(root, 'CelebA-HQ-img'), exist_ok=True)
    mapping, partition = ['idx orig_idx orig_file\n'], []
    names, labels, idx = {}, {}, 0
    for code, (split, n) in enumerate(zip(('train', 'val', 'test'), counts)):
        names[split] = []
        for _ in range(n):
            orig = int(rng.integers(1, 202599))
            _, helen, img = _face(rng, 512, 512)
            cv2.imwrite(
                osp.join(root, 'CelebA-HQ-img', f'{idx}.jpg'), cv2.resize(img, (size, size))
            )
            folder = osp.join(root, 'CelebAMask-HQ-mask-anno', str(idx // 2000))
            os.makedirs(folder, exist_ok=True)
            label = np.zeros_like(helen)
            for cls in range(1, 11):
                part = HELEN_TO_CELEBAMASK[cls]
                mask = (helen == cls).astype(np.uint8) * 255
                if cls == 1:  # CelebA skin lies under the parts drawn on it
                    mask = ((helen >= 1) & (helen <= 9)).astype(np.uint8) * 255
                cv2.imwrite(osp.join(folder, f'{idx:05d}_{part}.png'), mask)
            for cls, part in enumerate(CELEBAMASK_CLASSES):
                path = osp.join(folder, f'{idx:05d}_{part}.png')
                if cls and osp.exists(path):
                    label[cv2.imread(path, 0) > 127] = cls
            mapping.append(f'{idx} {orig} {orig:06d}.jpg\n')
            partition.append(f'{orig:06d}.jpg {code}\n')
            names[split].append(idx)
            labels[idx] = label
            idx += 1
    with open(osp.join(root, 'CelebA-HQ-to-CelebA-mapping.txt'), 'w') as f:
        f.writelines(mapping)
    with open(osp.join(root, 'list_eval_partition.txt'), 'w') as f:
        f.writelines(partition)
    return names, labels
