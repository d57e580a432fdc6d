"""Convert CelebAMask-HQ (Lee et al., CVPR 2020) to an mmseg tree.

Source::

    SRC/CelebA-HQ-img/<i>.jpg                                   1024x1024
    SRC/CelebAMask-HQ-mask-anno/<i // 2000>/<i:05d>_<part>.png  512x512 binary part masks
    SRC/CelebA-HQ-to-CelebA-mapping.txt                         "idx orig_idx orig_file"
    list_eval_partition.txt (CelebA's; default SRC/list_eval_partition.txt)  "<file> 0|1|2"

Output: ``images|annotations/{train,val,test}/<i>.{jpg,png}`` at 512x512 (images are resized
to the masks' resolution, so scores are computed at the ground truth's own resolution). Masks
are merged in class order, later parts overwriting earlier ones.
"""

import os.path as osp
from typing import Dict, Optional

import cv2
import numpy as np

from ..celebamask_hq import CELEBAMASK_CLASSES
from .common import ConversionError, convert_splits, read_image, read_text_lines

PARTITIONS = {'0': 'train', '1': 'val', '2': 'test'}
SIZE = 512


def read_mapping(path: str) -> Dict[int, str]:
    """HQ index -> original CelebA file name."""
    mapping = {}
    for lineno, line in read_text_lines(path)[1:]:  # header "idx orig_idx orig_file"
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit():
            raise ConversionError(
                f'{path}:{lineno}: expected "idx orig_idx orig_file", got {line!r}'
            )
        mapping[int(parts[0])] = parts[2]
    if not mapping:
        raise ConversionError(f'{path}: no mapping rows')
    return mapping


def read_partition(path: str) -> Dict[str, str]:
    """CelebA's ``list_eval_partition.txt``: image file name -> split name."""
    part = {}
    for lineno, line in read_text_lines(path):
        parts = line.split()
        if len(parts) != 2 or parts[1] not in PARTITIONS:
            raise ConversionError(f'{path}:{lineno}: expected "<file> 0|1|2", got {line!r}')
        part[parts[0]] = PARTITIONS[parts[1]]
    return part


def merge_masks(anno_dir: str, idx: int) -> np.ndarray:
    """``(512, 512)`` uint8 label from the per-part masks of image ``idx``."""
    label = np.zeros((SIZE, SIZE), np.uint8)
    folder = osp.join(anno_dir, str(idx // 2000))
    for cls, part in enumerate(CELEBAMASK_CLASSES[1:], start=1):
        path = osp.join(folder, f'{idx:05d}_{part}.png')
        if not osp.exists(path):
            continue  # the part is absent from this face
        mask = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        if mask is None or mask.shape != (SIZE, SIZE):
            raise ConversionError(f'{path}: unreadable or not a {SIZE}x{SIZE} mask')
        label[mask > 127] = cls
    return label


def convert_celebamask_hq(
    src: str,
    out: str,
    partition: Optional[str] = None,
    progress: bool = True,
    overwrite: bool = False,
) -> Dict[str, int]:
    """Convert CelebAMask-HQ at ``src`` into ``out`` with the official split."""
    if not osp.isdir(src):
        raise ConversionError(f'{src}: CelebAMask-HQ source directory not found')
    mapping = read_mapping(osp.join(src, 'CelebA-HQ-to-CelebA-mapping.txt'))
    part = read_partition(partition or osp.join(src, 'list_eval_partition.txt'))
    names = dict(train=[], val=[], test=[])
    for idx, orig in sorted(mapping.items()):
        if orig not in part:
            raise ConversionError(f'{orig} (CelebA-HQ {idx}) has no entry in the partition file')
        names[part[orig]].append(str(idx))

    def convert_one(split, name):
        img = read_image(osp.join(src, 'CelebA-HQ-img', f'{name}.jpg'))
        if img.shape[:2] != (SIZE, SIZE):
            img = cv2.resize(img, (SIZE, SIZE), interpolation=cv2.INTER_AREA)
        return dict(
            label=merge_masks(osp.join(src, 'CelebAMask-HQ-mask-anno'), int(name)), image=img
        )

    return convert_splits(
        src, out, names, convert_one, 'CelebAMask-HQ', progress=progress, overwrite=overwrite
    )
