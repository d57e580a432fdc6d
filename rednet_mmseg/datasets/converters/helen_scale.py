"""The scale between Helen's 194-point annotation files and the parsing release's images.

In the release (``SmithCVPR2013_dataset_resized``) the images and label maps are resized, but
the 194-point files are at the *original* photo resolution: every coordinate is the resized
one times a per-image ratio that the release does not state (about 1.2-3.5). This module
recovers that ratio, exactly from the original photos when they are at hand, otherwise by
fitting it to the label maps, which were drawn from these very contours.
"""

import glob
import os.path as osp
from typing import Dict, Optional, Tuple

import cv2
import numpy as np

from .common import ConversionError

#: Helen contour groups and the label classes whose outline they trace.
CONTOUR_GROUPS = (
    ('eyes', slice(114, 154), (4, 5)),
    ('brows', slice(154, 194), (2, 3)),
    ('nose', slice(41, 58), (6,)),
    ('outer lips', slice(58, 86), (7, 8, 9)),
)
#: Ratios searched by the fit (original size / resized size); 1 = already at image resolution.
RATIO_RANGE = (0.9, 6.0)
#: A fit is accepted when the median distance of the contour points to their label outline is
#: at most this fraction of the inter-ocular distance. On 298 real photos the right ratio gives
#: a median 0.0 (worst 0.11, a laughing face), a ratio 5 % off already 0.09-0.26.
MAX_FIT_ERROR = 0.15


def fit_error(points: np.ndarray, label: np.ndarray, ratio: float) -> float:
    """Median outline distance (resized pixels) of ``points / ratio`` (see below)."""
    fields = _fields(label)
    if not fields:
        return float('inf')
    return float(_cost(points[None] / ratio, fields)[0])


def _fields(label):
    return [
        (sl, dt)
        for _, sl, cls in CONTOUR_GROUPS
        if (dt := _outline_distance(label, cls)) is not None
    ]


def _outline_distance(label: np.ndarray, classes) -> Optional[np.ndarray]:
    """``(H, W)`` float32 distance of every pixel to the outline of ``label in classes``."""
    mask = np.isin(label, classes).astype(np.uint8)
    if mask.sum() < 4:
        return None
    edge = mask - cv2.erode(
        mask, np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT, borderValue=0
    )
    return cv2.distanceTransform((edge == 0).astype(np.uint8), cv2.DIST_L2, 5)


def _distances(scaled: np.ndarray, fields) -> np.ndarray:
    """Outline distances ``(R, P)`` of candidate scalings ``(R, 194, 2)``.

    Bilinear lookup; a point outside the image adds its distance to the image.
    """
    dists = []
    for sl, dt in fields:
        h, w = dt.shape
        pts = scaled[:, sl]
        x = np.clip(pts[..., 0], 0, w - 1.001)
        y = np.clip(pts[..., 1], 0, h - 1.001)
        x0, y0 = x.astype(int), y.astype(int)
        fx, fy = x - x0, y - y0
        d = (
            dt[y0, x0] * (1 - fx) * (1 - fy)
            + dt[y0, x0 + 1] * fx * (1 - fy)
            + dt[y0 + 1, x0] * (1 - fx) * fy
            + dt[y0 + 1, x0 + 1] * fx * fy
        )
        dists.append(d + np.hypot(pts[..., 0] - x, pts[..., 1] - y))
    return np.concatenate(dists, axis=1)


def _cost(scaled: np.ndarray, fields) -> np.ndarray:
    """Median outline distance ``(R,)`` (the reported fit error)."""
    return np.median(_distances(scaled, fields), axis=1)


def _objective(scaled: np.ndarray, fields) -> np.ndarray:
    """The median outline distance, ties broken by the mean of the best half.

    The median is robust to contour points where the label disagrees; the tie-break is smooth in the
    ratio (sub-pixel on small images).
    """
    d = np.sort(_distances(scaled, fields), axis=1)
    return np.median(d, axis=1) + 0.1 * d[:, : max(1, d.shape[1] // 2)].mean(1)


def fit_landmark_ratio(
    points: np.ndarray, label: np.ndarray, ratio_range=RATIO_RANGE
) -> Tuple[float, float]:
    """Fit the ratio ``r`` that puts ``points / r`` onto the label outlines.

    Args:
        points: ``(194, 2)`` Helen landmarks at an unknown resolution.
        label: ``(H, W)`` uint8 label map of the resized image.
        ratio_range: ``(lo, hi)`` of the ratios searched.

    Returns:
        ``(ratio, error)``: the ratio and the median distance (resized pixels) of the scaled
        contour points (eyes, brows, nose, outer lips) to the outline of their classes.
    """
    fields = _fields(label)
    if not fields:
        return float('nan'), float('inf')
    lo, hi = ratio_range
    inv = np.exp(np.linspace(np.log(1 / hi), np.log(1 / lo), 600))  # coarse: 0.3 % steps
    for _ in range(3):  # then refine around the best
        best = inv[int(np.argmin(_objective(points[None] * inv[:, None, None], fields)))]
        step = inv[1] / inv[0]
        inv = best * np.exp(np.linspace(-np.log(step), np.log(step), 21))
    ratio = float(1 / inv[10])
    err = float(_cost(points[None] / ratio, fields)[0])
    at_one = float(_cost(points[None], fields)[0])
    if at_one <= err + 0.5:  # already at the image's resolution
        return 1.0, at_one
    return ratio, err


def index_original_images(root: str) -> Dict[str, str]:
    """Image name -> path of every ``*.jpg`` below ``root`` (Helen's ``helen_1..5`` folders)."""
    if not osp.isdir(root):
        raise ConversionError(f'{root}: original-images folder not found')
    paths = glob.glob(osp.join(root, '**', '*.jpg'), recursive=True)
    index = {osp.splitext(osp.basename(p))[0]: p for p in sorted(paths)}
    if not index:
        raise ConversionError(f'{root}: no original photos (*.jpg) found')
    return index


def ratio_from_original(original_path: str, resized_shape) -> float:
    """``original size / resized size`` from the original photo's header (both axes agree)."""
    from PIL import Image

    try:
        with Image.open(original_path) as im:
            ow, oh = im.size
    except Exception as err:  # PIL raises several types for bad files
        raise ConversionError(f'{original_path}: unreadable original photo ({err})') from None
    h, w = resized_shape[:2]
    rx, ry = ow / w, oh / h
    if abs(rx - ry) > 0.02 * max(rx, ry) + 2 / min(w, h):
        raise ConversionError(
            f'{original_path}: {ow}x{oh} is not a uniform scaling of the resized {w}x{h} '
            f'image (ratios {rx:.3f} / {ry:.3f}); is it the same photo?'
        )
    return (rx + ry) / 2
