"""Convert the original Helen release (Smith et al., CVPR 2013) to an mmseg tree.

Source (``docs/en/data_formats.md``)::

    SRC/images/<name>.jpg
    SRC/labels/<name>/<name>_lbl00.png ... _lbl10.png   8-bit probability map per class
    SRC/exemplars.txt  SRC/tuning.txt  SRC/testing.txt   lines "index , name"
    SRC/annotation/*.txt                                first line <name>, then 194 "x , y"
                                                        at the ORIGINAL photo resolution

Output::

    OUT/images/{train,val,test}/<name>.jpg       (copied byte for byte)
    OUT/annotations/{train,val,test}/<name>.png  (uint8 label map, argmax of the 11 maps)
    OUT/landmarks/{train,val,test}/<name>.txt    (5 lines "x y", see HELEN_5POINT_DOC)
    OUT/landmarks/ratios.txt                     ("name ratio fit_error_px source" per image)
    OUT/splits/{train,val,test}.txt              (names)
"""

import glob
import os.path as osp
from typing import Dict, List, Optional

import cv2
import numpy as np

from ..helen import HelenDataset
from .common import (
    ConversionError,
    checked_points,
    convert_splits,
    read_image,
    read_text_lines,
)
from .helen_scale import (
    MAX_FIT_ERROR,
    fit_error,
    fit_landmark_ratio,
    index_original_images,
    ratio_from_original,
)

#: Helen's classes (``HelenDataset``) and the release's split files (``docs/en/data_formats.md``).
NUM_CLASSES = len(HelenDataset.METAINFO['classes'])
SPLIT_FILES = dict(train='exemplars.txt', val='tuning.txt', test='testing.txt')
#: ``smith``: the release's own split (2000/230/100). ``paper``: the RED-Net / Liu et al. 2015
#: regrouping, where training uses every non-test image and the validation (= prior bank)
#: images are the tuning images, also seen in training: 2330 / 330 / 100 in the paper's count.
SPLITS = ('smith', 'paper')

HELEN_5POINT_DOC = """Five points, one "x y" line each, in image pixels:
left eye centre, right eye centre (means of the two 20-point eye contours, 114-133 and 134-153,
ordered by x in the image), nose tip (point 49, the middle of the 17-point nose contour 41-57),
left and right mouth corners (outer-lip points 58-85 with the smallest and largest x)."""


def five_points_from_helen194(points: np.ndarray) -> np.ndarray:
    """``(194, 2)`` Helen landmarks -> ``(5, 2)`` key points (see ``HELEN_5POINT_DOC``)."""
    eyes = sorted([points[114:134].mean(0), points[134:154].mean(0)], key=lambda p: p[0])
    lips = points[58:86]
    mouth_left, mouth_right = lips[lips[:, 0].argmin()], lips[lips[:, 0].argmax()]
    return np.stack([eyes[0], eyes[1], points[49], mouth_left, mouth_right]).astype(np.float32)


def read_split_file(path: str) -> List[str]:
    """Names from a Helen split file (``index , name`` per line)."""
    names = []
    for lineno, line in read_text_lines(path):
        parts = [p.strip() for p in line.split(',')]
        if len(parts) != 2 or not parts[0].isdigit() or not parts[1]:
            raise ConversionError(f'{path}:{lineno}: expected "index , name", got {line!r}')
        names.append(parts[1])
    if not names:
        raise ConversionError(f'{path}: the split file is empty')
    return names


def read_landmark_file(path: str) -> (str, np.ndarray):
    """A Helen 194-point file: ``(image name, (194, 2) float array)``."""
    lines = read_text_lines(path)
    if len(lines) != 195:
        raise ConversionError(
            f'{path}: expected the image name and 194 "x , y" lines, '
            f'got {len(lines)} non-empty lines'
        )
    pts = []
    for lineno, line in lines[1:]:
        try:
            x, y = (float(v) for v in line.split(','))
        except ValueError:
            raise ConversionError(f'{path}:{lineno}: expected "x , y", got {line!r}') from None
        if not (np.isfinite(x) and np.isfinite(y)):
            raise ConversionError(f'{path}:{lineno}: the point is not finite: {line!r}')
        pts.append((x, y))
    return lines[0][1], np.asarray(pts, dtype=np.float32)


def index_landmarks(landmark_dir: str) -> Dict[str, str]:
    """Map image name -> landmark file (Helen names its files 1.txt, 2.txt, ...)."""
    index = {}
    for path in sorted(glob.glob(osp.join(landmark_dir, '*.txt'))):
        lines = read_text_lines(path)
        if not lines:
            raise ConversionError(f'{path}: empty landmark file')
        index[lines[0][1]] = path
    if not index:
        raise ConversionError(f'{landmark_dir}: no landmark files (*.txt) found')
    return index


def read_label_map(src: str, name: str, image_shape) -> np.ndarray:
    """Argmax over the 11 per-class probability PNGs of one image -> ``(H, W)`` uint8."""
    probs = []
    for c in range(NUM_CLASSES):
        path = osp.join(src, 'labels', name, f'{name}_lbl{c:02d}.png')
        if not osp.isfile(path):
            raise ConversionError(f'{path}: missing label map for class {c} of {name}')
        prob = cv2.imread(path, cv2.IMREAD_UNCHANGED)
        if prob is None:
            raise ConversionError(f'{path}: unreadable or corrupt PNG')
        if prob.ndim != 2 or prob.dtype != np.uint8:
            raise ConversionError(
                f'{path}: expected an 8-bit greyscale PNG, got shape '
                f'{prob.shape} dtype {prob.dtype}'
            )
        if prob.shape != tuple(image_shape):
            raise ConversionError(
                f'{path}: size {prob.shape[::-1]} differs from the image '
                f'size {tuple(image_shape)[::-1]}'
            )
        probs.append(prob)
    return np.argmax(np.stack(probs), axis=0).astype(np.uint8)


def split_names(src: str, split: str) -> Dict[str, List[str]]:
    """Image names of each output split (``smith`` or ``paper``) from the release's lists."""
    if split not in SPLITS:
        raise ValueError(f'unknown Helen split {split!r}; choose from {SPLITS}')
    smith = {k: read_split_file(osp.join(src, f)) for k, f in SPLIT_FILES.items()}
    if split == 'smith':
        return smith
    return dict(train=smith['train'] + smith['val'], val=smith['val'], test=smith['test'])


def landmarks_at_image_scale(
    landmark_file: str, points: np.ndarray, label: np.ndarray, original: Optional[str] = None
) -> (np.ndarray, dict):
    """Bring Helen's 194 points from the original photo's resolution to the resized image's.

    The ratio is ``original size / resized size`` from the original photo when ``original``
    is given, else fitted to the label map (``helen_scale.fit_landmark_ratio``). Either way
    the scaled contours must lie on their label outlines (median distance at most
    ``MAX_FIT_ERROR`` inter-ocular distances), or the file is reported.

    Returns:
        ``((194, 2) points / ratio, dict(ratio=, error_px=, source=))``.
    """
    if original is not None:
        ratio, source = ratio_from_original(original, label.shape), 'original'
        err = fit_error(points, label, ratio)
    else:
        ratio, err = fit_landmark_ratio(points, label)
        source = 'fit'
    scaled = points / ratio if np.isfinite(ratio) else points
    five = five_points_from_helen194(scaled)
    iod = float(np.linalg.norm(five[1] - five[0]))
    if not err <= MAX_FIT_ERROR * iod:
        how = (
            f'at the ratio {ratio:.3f} of the original photo {original}'
            if original
            else f'at the best-fitting ratio {ratio:.3f}'
        )
        raise ConversionError(
            f'{landmark_file}: {how} the landmarks miss the label outlines by {err:.1f} px '
            f'(median; {err / max(iod, 1e-6):.2f} of the eye distance, limit {MAX_FIT_ERROR}); '
            'are they the landmarks of this image?'
        )
    return scaled, dict(ratio=ratio, error_px=err, source=source)


def convert_helen(
    src: str,
    out: str,
    split: str = 'smith',
    landmark_dir: Optional[str] = None,
    with_landmarks: bool = True,
    original_images: Optional[str] = None,
    progress: bool = True,
    landmark_report: Optional[Dict[str, dict]] = None,
    overwrite: bool = False,
) -> Dict[str, int]:
    """Convert a Helen release at ``src`` into ``out`` (see module docstring).

    Args:
        src: the Helen release (``images/``, ``labels/``, the split lists); only read.
        out: the output folder (replaced atomically).
        split: ``'smith'`` (the release's 2000/230/100) or ``'paper'`` (train = all non-test,
            val = tuning).
        landmark_dir: 194-point landmark folder (default ``src/annotation``).
        with_landmarks: write the 5-point landmarks (the adaptive prior needs them).
        original_images: folder of the release's original photos (searched recursively for
            ``<name>.jpg``); gives each image's landmark ratio exactly. Without it the ratio is
            fitted to the label maps.
        progress: show a progress bar.
        landmark_report: filled with ``name -> dict(ratio=, error_px=, source=)``.
        overwrite: replace an existing ``out`` that is not a previous conversion.

    Returns the number of images written per split. ``out`` is replaced atomically; ``src``
    is only read.
    """
    if not osp.isdir(src):
        raise ConversionError(f'{src}: Helen source directory not found')
    names = split_names(src, split)
    landmarks, originals = {}, {}
    if with_landmarks:
        landmark_dir = landmark_dir or osp.join(src, 'annotation')
        landmarks = index_landmarks(landmark_dir)
        if original_images:
            originals = index_original_images(original_images)
    report = {} if landmark_report is None else landmark_report

    def convert_one(split, name):
        img_path = osp.join(src, 'images', f'{name}.jpg')
        img = read_image(img_path, f'image (listed in the {split} split)')
        label = read_label_map(src, name, img.shape[:2])
        points = None
        if with_landmarks:
            if name not in landmarks:
                raise ConversionError(f'{landmark_dir}: no landmark file for image {name}')
            if original_images and name not in originals:
                raise ConversionError(f'{original_images}: no original photo {name}.jpg')
            _, pts = read_landmark_file(landmarks[name])
            if name not in report:  # the paper split lists tuning images twice
                pts, report[name] = landmarks_at_image_scale(
                    landmarks[name], pts, label, originals.get(name)
                )
            else:
                pts = pts / report[name]['ratio']
            points = checked_points(five_points_from_helen194(pts), img.shape, landmarks[name])
        return dict(label=label, image_src=img_path, landmarks=points)

    def write_ratios(tmp):
        with open(osp.join(tmp, 'landmarks', 'ratios.txt'), 'w') as f:
            f.write('# name ratio fit_error_px source (original size / resized size)\n')
            f.writelines(
                f'{n} {r["ratio"]:.4f} {r["error_px"]:.2f} {r["source"]}\n'
                for n, r in sorted(report.items())
            )

    return convert_splits(
        src,
        out,
        names,
        convert_one,
        'Helen',
        with_landmarks,
        progress,
        finish=write_ratios if with_landmarks else None,
        overwrite=overwrite,
    )
