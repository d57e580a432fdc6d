"""A face folder (``rednet_mmseg.datasets.face_folder``) written from generated faces.

The worked example of ``docs/en/finetune.md`` and its end-to-end test: cartoon faces of
:mod:`~rednet_mmseg.testing.synthetic_helen` relabelled to your own classes (by default three:
background, skin, hair: every face part counts as skin), with their 5 key points in the
folder's landmark tables. **The data is synthetic**; scores on it say nothing about real faces.
"""

import os
import os.path as osp
from typing import Dict, Sequence

import cv2
import numpy as np

from ..datasets.converters.helen import five_points_from_helen194
from ..datasets.landmark_table import write_landmark_table
from .synthetic_helen import LAYOUT, _draw_labels, _face_geometry, _render_image

#: Helen's 11 classes -> the example's 3: background, skin (every face part), hair.
HAIR_SKIN_BACKGROUND = (('background', 'skin', 'hair'), (0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2))


def make_face_folder(
    root: str,
    counts: Dict[str, int] = None,
    classes: Sequence[str] = HAIR_SKIN_BACKGROUND[0],
    helen_to_classes: Sequence[int] = HAIR_SKIN_BACKGROUND[1],
    size_range=(150, 230),
    landmarks: bool = True,
    seed: int = 0,
) -> Dict[str, list]:
    """Write ``root/{classes.txt,images,annotations,landmarks}`` of generated faces.

    Args:
        root: the folder (created).
        counts: images per split. Default: ``dict(train=24, val=4, test=6)``.
        classes: class names, background first.
        helen_to_classes: the class of each of Helen's 11 classes.
        size_range: ``(lo, hi)`` image side in pixels.
        landmarks: also write ``landmarks/<split>.txt`` (without: the fine-tuning tool
            detects them, which finds no cartoon face).
        seed: random seed.

    Returns:
        ``split -> image names``.
    """
    counts = counts or dict(train=24, val=4, test=6)
    rng = np.random.default_rng(seed)
    lut = np.full(256, 255, np.uint8)
    lut[: len(helen_to_classes)] = helen_to_classes
    os.makedirs(root, exist_ok=True)
    with open(osp.join(root, 'classes.txt'), 'w') as f:
        f.writelines(f'{c}\n' for c in classes)
    names = {}
    for split, n in counts.items():
        for sub in ('images', 'annotations'):
            os.makedirs(osp.join(root, sub, split), exist_ok=True)
        table = {}
        for i in range(n):
            name = f'{split}_{i:03d}'
            w = int(rng.integers(*size_range))
            h = int(w * rng.uniform(1.0, 1.25))
            shapes = _face_geometry(rng, w, h)
            label = _draw_labels(shapes, h, w)
            cv2.imwrite(osp.join(root, 'images', split, f'{name}.jpg'), _render_image(rng, label))
            cv2.imwrite(osp.join(root, 'annotations', split, f'{name}.png'), lut[label])
            pts = np.zeros((194, 2))
            for key, (start, count) in LAYOUT.items():
                pts[start : start + count] = shapes[key]
            table[name] = five_points_from_helen194(pts)
        if landmarks:
            os.makedirs(osp.join(root, 'landmarks'), exist_ok=True)
            write_landmark_table(osp.join(root, 'landmarks', f'{split}.txt'), table)
        names[split] = sorted(table)
    return names
