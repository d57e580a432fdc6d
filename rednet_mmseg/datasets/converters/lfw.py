"""Convert LFW Part Labels (Kae et al., CVPR 2013) to an mmseg tree.

Source (``docs/en/data_formats.md``)::

    SRC/lfw_funneled/<Name>/<Name>_<NNNN>.jpg             250x250 aligned images
    SRC/parts_lfw_funneled_gt_images/<Name>_<NNNN>.ppm     label image: red hair, green skin,
                                                           blue background
    SRC/parts_train.txt  parts_validation.txt  parts_test.txt   lines "Name N"

Output: ``images|annotations/{train,val,test}/<Name>_<NNNN>.{jpg,png}`` with labels
0 background, 1 skin, 2 hair. Only the images listed in the split files are converted (2927 of
LFW's 13233 are labelled).
"""

import os.path as osp
from typing import Dict

import cv2
import numpy as np

from .common import ConversionError, convert_splits, read_image, read_text_lines

SPLIT_FILES = dict(train='parts_train.txt', val='parts_validation.txt', test='parts_test.txt')
#: pure colours (RGB) -> label
COLOURS = {(0, 0, 255): 0, (0, 255, 0): 1, (255, 0, 0): 2}


def read_lfw_split(path: str):
    """Image names (``Name_NNNN``) of an LFW-PL split list of ``Name N`` lines."""
    names = []
    for lineno, line in read_text_lines(path):
        parts = line.split()
        if len(parts) != 2 or not parts[1].isdigit():
            raise ConversionError(f'{path}:{lineno}: expected "Name N", got {line!r}')
        names.append(f'{parts[0]}_{int(parts[1]):04d}')
    if not names:
        raise ConversionError(f'{path}: the split file is empty')
    return names


def ppm_to_label(path: str, unknown: str = 'error') -> np.ndarray:
    """RGB label image -> ``(H, W)`` uint8 class indices.

    A non-pure pixel is an error naming the file and the pixel, or 255 (ignored) with
    ``unknown='ignore'``.
    """
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise ConversionError(f'{path}: missing, unreadable or corrupt label image')
    rgb = bgr[..., ::-1].astype(np.int32)
    code = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    label = np.full(code.shape, 255, np.uint8)
    for (r, g, b), cls in COLOURS.items():
        label[code == (r << 16 | g << 8 | b)] = cls
    bad = np.argwhere(label == 255)
    if len(bad) and unknown != 'ignore':
        y, x = bad[0]
        raise ConversionError(
            f'{path}: pixel (x={x}, y={y}) has colour RGB{tuple(int(v) for v in rgb[y, x])}, '
            f'not pure red/green/blue ({len(bad)} such pixels); use --unknown-color ignore '
            'to label them 255 (ignored)'
        )
    return label


def convert_lfw(
    src: str, out: str, unknown: str = 'error', progress: bool = True, overwrite: bool = False
) -> Dict[str, int]:
    """Convert LFW-PL at ``src`` into ``out``; returns images per split."""
    if not osp.isdir(src):
        raise ConversionError(f'{src}: LFW-PL source directory not found')
    names = {s: read_lfw_split(osp.join(src, f)) for s, f in SPLIT_FILES.items()}

    def convert_one(split, name):
        person = name.rsplit('_', 1)[0]
        img_path = osp.join(src, 'lfw_funneled', person, f'{name}.jpg')
        img = read_image(img_path, f'image (listed in the {split} split)')
        label = ppm_to_label(osp.join(src, 'parts_lfw_funneled_gt_images', f'{name}.ppm'), unknown)
        if label.shape != img.shape[:2]:
            raise ConversionError(
                f'{name}.ppm: label size {label.shape[::-1]} differs from '
                f'the image size {img.shape[1::-1]}'
            )
        return dict(label=label, image_src=img_path)

    return convert_splits(
        src, out, names, convert_one, 'LFW-PL', progress=progress, overwrite=overwrite
    )
