"""Convert LaPa (Liu et al., AAAI 2020) to an mmseg tree.

Source::

    SRC/{train,val,test}/images/<name>.jpg
    SRC/{train,val,test}/labels/<name>.png        uint8 labels 0-10 (Helen's order)
    SRC/{train,val,test}/landmarks/<name>.txt     first line "106", then 106 lines "x y"

Output: the Helen layout (``images``, ``annotations``, ``landmarks`` with 5 points).
"""

import os
import os.path as osp
from typing import Dict

import cv2
import numpy as np

from .common import (
    ConversionError,
    checked_points,
    convert_splits,
    read_image,
    read_text_lines,
)

SPLITS = ('train', 'val', 'test')
NUM_CLASSES = 11


def five_points_from_lapa106(points: np.ndarray) -> np.ndarray:
    """``(106, 2)`` LaPa points -> 5 key points.

    The pupils 104 and 105 (eye centres, ordered by x), nose tip 46, mouth corners 84 and 90
    (ordered by x).
    """
    eyes = sorted([points[104], points[105]], key=lambda p: p[0])
    mouth = sorted([points[84], points[90]], key=lambda p: p[0])
    return np.stack([eyes[0], eyes[1], points[46], mouth[0], mouth[1]]).astype(np.float32)


def read_lapa_landmarks(path: str) -> np.ndarray:
    """The ``(106, 2)`` points of a LaPa landmark file (a named error when malformed)."""
    lines = read_text_lines(path)
    if not lines or lines[0][1] != '106' or len(lines) != 107:
        raise ConversionError(f'{path}: expected a first line "106" and 106 "x y" lines')
    pts = []
    for lineno, line in lines[1:]:
        try:
            x, y = (float(v) for v in line.split())
        except ValueError:
            raise ConversionError(f'{path}:{lineno}: expected "x y", got {line!r}') from None
        if not (np.isfinite(x) and np.isfinite(y)):
            raise ConversionError(f'{path}:{lineno}: the point is not finite: {line!r}')
        pts.append((x, y))
    return np.array(pts, np.float32)


def convert_lapa(
    src: str, out: str, progress: bool = True, overwrite: bool = False
) -> Dict[str, int]:
    """Convert LaPa at ``src`` into ``out``; returns images per split."""
    if not osp.isdir(src):
        raise ConversionError(f'{src}: LaPa source directory not found')
    names = {}
    for s in SPLITS:
        img_dir = osp.join(src, s, 'images')
        if not osp.isdir(img_dir):
            raise ConversionError(f'{img_dir}: missing split folder')
        names[s] = sorted(osp.splitext(f)[0] for f in os.listdir(img_dir) if f.endswith('.jpg'))

    def convert_one(split, name):
        img_path = osp.join(src, split, 'images', f'{name}.jpg')
        img = read_image(img_path)
        lbl_path = osp.join(src, split, 'labels', f'{name}.png')
        label = cv2.imread(lbl_path, cv2.IMREAD_UNCHANGED)
        if label is None:
            raise ConversionError(f'{lbl_path}: missing or unreadable label for {name}')
        if label.ndim != 2 or label.shape != img.shape[:2]:
            raise ConversionError(
                f'{lbl_path}: expected a single-channel label of the '
                f'image size {img.shape[1::-1]}, got shape {label.shape}'
            )
        if label.max() >= NUM_CLASSES:
            raise ConversionError(
                f'{lbl_path}: label value {int(label.max())} outside 0..{NUM_CLASSES - 1}'
            )
        lm_path = osp.join(src, split, 'landmarks', f'{name}.txt')
        five = checked_points(
            five_points_from_lapa106(read_lapa_landmarks(lm_path)), img.shape, lm_path
        )
        return dict(label=label, image_src=img_path, landmarks=five)

    return convert_splits(
        src,
        out,
        names,
        convert_one,
        'LaPa',
        with_landmarks=True,
        progress=progress,
        overwrite=overwrite,
    )
