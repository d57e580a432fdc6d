"""Synthetic faces written in the *original Helen release format*.

Used by the quick-start demo and by the tests: real Helen cannot be downloaded on our machines,
so this draws cartoon faces with varied geometry (position, size, aspect, rotation, eye and
mouth opening, hair shape, colours) and writes them exactly as Helen is distributed
(``docs/en/data_formats.md``): JPEG images, per-class 8-bit probability PNGs, ``index , name``
split files and 194-point landmark files whose point ranges follow Helen's layout. **The data
is synthetic**; scores on it say nothing about real faces.
"""

import os
import os.path as osp
from typing import Dict, Optional, Tuple

import cv2
import numpy as np

from ..datasets.converters.helen import NUM_CLASSES, SPLIT_FILES

# Helen 194-point layout: (first index, number of points) per contour
LAYOUT = dict(
    jaw=(0, 41),
    nose=(41, 17),
    outer_lips=(58, 28),
    inner_lips=(86, 28),
    eye_a=(114, 20),
    eye_b=(134, 20),
    brow_a=(154, 20),
    brow_b=(174, 20),
)
CLASS_COLOURS = {  # BGR base colours, jittered per image
    2: (30, 40, 60),
    3: (30, 40, 60),
    4: (235, 235, 240),
    5: (235, 235, 240),
    7: (70, 60, 190),
    8: (30, 20, 60),
    9: (90, 80, 200),
    10: (20, 30, 50),
}
SKIN_TONES = [(150, 180, 225), (120, 150, 200), (80, 110, 160), (170, 200, 235)]


def _ellipse(cx, cy, ax, ay, n, t0=0.0, t1=2 * np.pi, closed=True):
    t = np.linspace(t0, t1, n, endpoint=not closed)
    return np.stack([cx + ax * np.cos(t), cy + ay * np.sin(t)], axis=1)


def _face_geometry(rng, w, h):
    """Contours in face coordinates (unit = face half-width), then mapped to the image."""
    a = rng.uniform(0.3, 0.38) * w
    b = a * rng.uniform(1.2, 1.4)
    cx, cy = w / 2 + rng.uniform(-0.08, 0.08) * w, h / 2 + rng.uniform(-0.02, 0.1) * h
    ang = np.deg2rad(rng.uniform(-15, 15))
    eye_open = rng.uniform(0.5, 1.0)
    mouth_open = rng.uniform(0.0, 1.0)
    eye_dx, eye_y = rng.uniform(0.33, 0.42), rng.uniform(-0.22, -0.12)
    brow_y = eye_y - rng.uniform(0.18, 0.24)
    mouth_y, mouth_w = rng.uniform(0.5, 0.6), rng.uniform(0.32, 0.42)
    lip_h = rng.uniform(0.09, 0.12)
    inner_h = 0.03 + 0.06 * mouth_open
    shapes = dict(
        face=_ellipse(0, 0, 1, b / a, 64),
        hair=_ellipse(
            0, -0.35 * b / a, rng.uniform(1.08, 1.25), rng.uniform(0.85, 1.0) * b / a, 64
        ),
        brow_a=_ellipse(-eye_dx, brow_y, 0.24, 0.07, 20),
        brow_b=_ellipse(eye_dx, brow_y, 0.24, 0.07, 20),
        eye_a=_ellipse(-eye_dx, eye_y, 0.2, 0.06 * eye_open + 0.05, 20),
        eye_b=_ellipse(eye_dx, eye_y, 0.2, 0.06 * eye_open + 0.05, 20),
        # nose: lower half-ellipse; its middle point (Helen index 49) is the nose tip
        nose=np.concatenate([_ellipse(0, 0.05, 0.16, 0.26, 17, 0, np.pi, closed=False)[::-1]]),
        outer_lips=_ellipse(0, mouth_y, mouth_w, inner_h + 2 * lip_h, 28),
        inner_lips=_ellipse(0, mouth_y, mouth_w * 0.75, inner_h, 28),
        jaw=_ellipse(0, 0, 1, b / a, 41, 0, np.pi, closed=False),
    )
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    to_img = {k: (v * a) @ rot.T + np.array([cx, cy]) for k, v in shapes.items()}
    return to_img


def _draw_labels(shapes, h, w):
    label = np.zeros((h, w), np.uint8)

    def fill(pts, value):
        cv2.fillPoly(label, [np.round(pts).astype(np.int32)], int(value))

    fill(shapes['hair'], 10)
    fill(shapes['face'], 1)
    fill(shapes['brow_a'], 2)
    fill(shapes['brow_b'], 3)
    fill(shapes['eye_a'], 4)
    fill(shapes['eye_b'], 5)
    fill(shapes['nose'], 6)
    outer, inner = shapes['outer_lips'], shapes['inner_lips']
    # upper lip above the mouth line, lower lip below, inner mouth drawn last
    mouth = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mouth, [np.round(outer).astype(np.int32)], 1)
    centre = outer.mean(0)
    left, right = outer[outer[:, 0].argmin()], outer[outer[:, 0].argmax()]
    normal = np.array([left[1] - right[1], right[0] - left[0]])  # points down the face
    ys, xs = np.nonzero(mouth)
    below = ((np.stack([xs, ys], 1) - centre) @ normal) > 0
    label[ys[~below], xs[~below]] = 7
    label[ys[below], xs[below]] = 9
    fill(inner, 8)
    return label


def _render_image(rng, label):
    h, w = label.shape
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    bg0, bg1 = rng.uniform(40, 220, 3), rng.uniform(40, 220, 3)
    t = (gx / w * rng.uniform(0.3, 1) + gy / h * rng.uniform(0.3, 1))[..., None] / 2
    img = bg0 * (1 - t) + bg1 * t
    colours = dict(CLASS_COLOURS)
    colours[1] = SKIN_TONES[rng.integers(len(SKIN_TONES))]
    colours[6] = tuple(np.array(colours[1]) * 0.85)
    for c, col in colours.items():
        img[label == c] = np.clip(np.array(col) + rng.normal(0, 12, 3), 0, 255)
    img += rng.normal(0, 6, img.shape)
    img = cv2.GaussianBlur(np.clip(img, 0, 255).astype(np.uint8), (3, 3), 0.8)
    return img


def _probability_maps(label):
    """8-bit per-class maps whose argmax is ``label`` (soft borders, like Helen's)."""
    maps = []
    for c in range(NUM_CLASSES):
        onehot = (label == c).astype(np.float32)
        soft = cv2.GaussianBlur(onehot, (5, 5), 1.5)
        maps.append(np.round(255 * (0.6 * onehot + 0.4 * soft)).astype(np.uint8))
    return maps


def make_synthetic_helen(
    root: str,
    num_train: int = 40,
    num_val: int = 8,
    num_test: int = 8,
    size_range=(150, 230),
    seed: int = 0,
    ratio_range=None,
    originals_dir: Optional[str] = None,
) -> Tuple[Dict[str, list], Dict[str, np.ndarray]]:
    """Write a synthetic Helen release under ``root``.

    Args:
        root: output folder.
        num_train: images in exemplars.txt.
        num_val: images in tuning.txt.
        num_test: images in testing.txt.
        size_range: ``(lo, hi)`` image side in pixels.
        seed: random seed (the same seed writes the same release).
        ratio_range: ``(lo, hi)``: write the 194-point files at an "original" resolution, as
            the real release does: coordinates times a per-image ratio drawn from the range
            (``None``: at the image's own resolution).
        originals_dir: with ``ratio_range``, also write each "original photo" there
            (``helen_1/<name>.jpg``, the image scaled by its ratio).

    Returns:
        ``(split -> names, name -> (H, W) uint8 label map as drawn)``; splits ``train``,
        ``val``, ``test`` are written to exemplars.txt, tuning.txt, testing.txt.
    """
    rng = np.random.default_rng(seed)
    os.makedirs(osp.join(root, 'images'), exist_ok=True)
    os.makedirs(osp.join(root, 'annotation'), exist_ok=True)
    counts = dict(train=num_train, val=num_val, test=num_test)
    names, labels, k = {}, {}, 0
    for split, n in counts.items():
        names[split] = []
        for _ in range(n):
            k += 1
            name = f'{rng.integers(10**8, 10**9)}_{rng.integers(1, 4)}'
            w = int(rng.integers(*size_range))
            h = int(w * rng.uniform(1.0, 1.25))
            shapes = _face_geometry(rng, w, h)
            label = _draw_labels(shapes, h, w)
            cv2.imwrite(
                osp.join(root, 'images', f'{name}.jpg'),
                _render_image(rng, label),
                [cv2.IMWRITE_JPEG_QUALITY, 95],
            )
            os.makedirs(osp.join(root, 'labels', name), exist_ok=True)
            for c, prob in enumerate(_probability_maps(label)):
                cv2.imwrite(osp.join(root, 'labels', name, f'{name}_lbl{c:02d}.png'), prob)
            pts = np.zeros((194, 2))
            for key, (start, count) in LAYOUT.items():
                pts[start : start + count] = shapes[key]
            if ratio_range is not None:
                ratio = rng.uniform(*ratio_range)
                pts = pts * ratio
                if originals_dir is not None:
                    os.makedirs(osp.join(originals_dir, 'helen_1'), exist_ok=True)
                    img = cv2.imread(osp.join(root, 'images', f'{name}.jpg'))
                    big = cv2.resize(img, (round(w * ratio), round(h * ratio)))
                    cv2.imwrite(osp.join(originals_dir, 'helen_1', f'{name}.jpg'), big)
            with open(osp.join(root, 'annotation', f'{k}.txt'), 'w') as f:
                f.write(name + '\n')
                f.writelines(f'{x:.3f} , {y:.3f}\n' for x, y in pts)
            names[split].append(name)
            labels[name] = label
    for split, fname in SPLIT_FILES.items():
        with open(osp.join(root, fname), 'w') as f:
            f.writelines(f'{i + 1} , {n}\n' for i, n in enumerate(names[split]))
    return names, labels
