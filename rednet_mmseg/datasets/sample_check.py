"""File-level checks of one face parsing sample, run before its pipeline.

mmcv's ``LoadImageFromFile`` decodes a truncated JPEG without complaint (OpenCV fills the
missing rows with grey and only prints a warning), and a label map with values outside the
classes or of another size than its image is not noticed until the loss crashes far from the
file (or never). These checks turn each of those into an error naming the file.
"""

import os.path as osp
from typing import Optional

import numpy as np
from PIL import Image, UnidentifiedImageError


class BadSampleError(ValueError):
    """A data set file is missing, corrupt or inconsistent with its partner files."""


_JPEG_EOI = b'\xff\xd9'
_PNG_IEND = b'IEND\xaeB`\x82'
_TAIL = 4096  # end markers may be followed by a little padding


def check_not_truncated(path: str) -> None:
    """A JPEG must end with its EOI marker and a PNG with its IEND chunk."""
    with open(path, 'rb') as f:
        head = f.read(8)
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - _TAIL))
        tail = f.read()
    if head[:2] == b'\xff\xd8' and _JPEG_EOI not in tail:
        raise BadSampleError(
            f'{path}: truncated JPEG (no end-of-image marker; the file is cut '
            f'short at {size} bytes)'
        )
    if head == b'\x89PNG\r\n\x1a\n' and _PNG_IEND not in tail:
        raise BadSampleError(
            f'{path}: truncated PNG (no IEND chunk; the file is cut short at {size} bytes)'
        )


def _open(path: str, what: str) -> Image.Image:
    if not osp.isfile(path):
        raise BadSampleError(f'{path}: {what} not found')
    check_not_truncated(path)
    try:
        return Image.open(path)  # reads the header only
    except (UnidentifiedImageError, OSError) as err:
        raise BadSampleError(f'{path}: corrupt or not an image ({what}): {err}') from None


def check_sample(
    img_path: str, seg_map_path: Optional[str], num_classes: int, ignore_index: int = 255
) -> None:
    """Check one sample's files; raise :class:`BadSampleError` naming the file.

    Checks: the image exists, is an image and is not truncated; the label map exists, is not
    truncated, has the image's size, and holds only class indices ``0..num_classes-1`` or
    ``ignore_index``. Reads image headers only and decodes the (small, single-channel) label.
    """
    img = _open(img_path, 'image')
    if seg_map_path is None:
        return
    seg = _open(seg_map_path, f'label map of {osp.basename(img_path)}')
    if seg.size != img.size:
        raise BadSampleError(
            f'{seg_map_path}: label map is {seg.size[0]}x{seg.size[1]} but its '
            f'image {img_path} is {img.size[0]}x{img.size[1]} (W x H)'
        )
    try:
        labels = np.asarray(seg)
    except OSError as err:
        raise BadSampleError(f'{seg_map_path}: corrupt label map: {err}') from None
    if labels.ndim != 2:
        raise BadSampleError(
            f'{seg_map_path}: expected a single-channel label map of class '
            f'indices, got shape {labels.shape}'
        )
    values = np.unique(labels)
    bad = values[(values >= num_classes) & (values != ignore_index)]
    if bad.size:
        raise BadSampleError(
            f'{seg_map_path}: label values {bad.tolist()[:10]} are outside the {num_classes} '
            f'classes (0..{num_classes - 1}) and are not the ignore index {ignore_index}'
        )
