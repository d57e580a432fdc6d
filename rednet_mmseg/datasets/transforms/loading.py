"""Loading face landmarks and the adaptive prior."""

import os.path as osp
from typing import Dict, Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from ..prior_bank import PriorBank
from .prior_storage import store_prior


def read_landmarks(path: str, num_points: int = 5) -> np.ndarray:
    """``(num_points, 2)`` float32 points from a file of ``x y`` lines; clear errors."""
    try:
        pts = np.loadtxt(path, dtype=np.float32, ndmin=2)
    except (OSError, ValueError) as err:
        raise ValueError(f'{path}: missing or malformed landmark file ({err})') from err
    if pts.shape != (num_points, 2) or not np.isfinite(pts).all():
        raise ValueError(
            f'{path}: expected {num_points} finite "x y" lines, got an array of shape {pts.shape}'
        )
    return pts


def read_landmark_table(path: str, num_points: int = 5) -> Dict[str, np.ndarray]:
    """A file of lines ``<image name> x1 y1 ... x5 y5`` -> ``name -> (5, 2)`` points."""
    table = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            try:
                pts = np.array(parts[1:], np.float32).reshape(num_points, 2)
            except ValueError:
                raise ValueError(
                    f'{path}:{lineno}: expected "<image> x1 y1 ... x{num_points} '
                    f'y{num_points}", got {line.strip()!r}'
                ) from None
            table[osp.splitext(osp.basename(parts[0]))[0]] = pts
    return table


def write_landmark_table(path: str, table: Dict[str, np.ndarray]) -> None:
    """Write ``name -> (5, 2)`` points as ``read_landmark_table`` reads them, atomically (a
    temporary file renamed over ``path``: never a half-written table)."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(
        prefix='.' + osp.basename(path) + '.', dir=osp.dirname(osp.abspath(path))
    )
    try:
        with os.fdopen(fd, 'w') as f:
            for name, pts in table.items():
                f.write(name + ' ' + ' '.join(f'{v:.2f}' for v in np.ravel(pts)) + '\n')
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def forget_landmark_table(path: str) -> None:
    """Drop the cached table of ``path`` (it is read once per process)."""
    _TABLES.pop(path, None)


def _find_landmarks(
    results: dict, landmarks_file: Optional[str], table_cache: dict, num_points: int = 5
) -> np.ndarray:
    """Points from ``landmark_path``, else from the ``landmarks_file`` table, else an error."""
    if results.get('landmark_path'):
        return read_landmarks(results['landmark_path'], num_points)
    name = osp.splitext(osp.basename(results['img_path']))[0]
    if landmarks_file is not None:
        if landmarks_file not in table_cache:
            table_cache[landmarks_file] = read_landmark_table(landmarks_file, num_points)
        if name in table_cache[landmarks_file]:
            return table_cache[landmarks_file][name]
    raise ValueError(
        f'{results["img_path"]}: no landmarks for this image; its 5 key points (eye centres, '
        'nose tip, mouth corners) are needed. Give the data set data_prefix landmark_path, '
        f'or landmarks_file=... with a line "{name} x1 y1 ... x5 y5".'
    )


_TABLES: Dict[str, Dict[str, np.ndarray]] = {}


@TRANSFORMS.register_module()
class LoadFaceLandmarks(BaseTransform):
    """Load the key points written by the converters (one ``x y`` line per point).

    They are stored as ``gt_keypoints`` of one instance, ``(1, K, 3)`` with columns
    ``x, y, visible``, so face-aware transforms move them with the image. For images of your
    own, ``landmarks_file`` is a table of lines ``<image> x1 y1 ... x5 y5``.

    Required Keys: ``img_path``, ``landmark_path`` (optional).
    Added Keys: ``gt_keypoints`` (np.float32, ``(1, K, 3)``).

    Args:
        num_points (int): expected number of points. Default: 5.
        landmarks_file (str, optional): landmark table for images without landmark files.
    """

    def __init__(self, num_points: int = 5, landmarks_file: Optional[str] = None):
        self.num_points = num_points
        self.landmarks_file = landmarks_file

    def transform(self, results: dict) -> dict:
        if not results.get('landmark_path') and self.landmarks_file is None:
            raise ValueError(
                f'{results.get("img_path", "<image>")}: no landmark file (the data '
                'set has no landmarks folder or data_prefix lacks landmark_path)'
            )
        pts = _find_landmarks(results, self.landmarks_file, _TABLES, self.num_points)
        vis = np.ones((self.num_points, 1), np.float32)
        results['gt_keypoints'] = np.concatenate([pts, vis], axis=1)[None]
        return results

    def __repr__(self):
        return f'{type(self).__name__}(num_points={self.num_points})'


_BANKS: Dict[str, PriorBank] = {}


@TRANSFORMS.register_module()
class LoadFacePrior(BaseTransform):
    """Compute the kNN face prior of the image (paper Eq. 5) in the image's pixel frame.

    Put it right after ``LoadImageFromFile`` / ``LoadAnnotations`` and before any geometric
    transform: the prior is registered in ``seg_fields``, so mmseg's ``Resize``, ``RandomCrop``
    and ``RandomFlip`` move it exactly like the label map, and :class:`PackFaceInputs` swaps
    its left/right channels after a horizontal flip. While in ``seg_fields`` it is stored as
    ``prior - 1`` (``prior_storage``), so the value-based label swapping of
    ``RandomFlip(swap_seg_labels=...)`` can never alter it.

    Landmarks come from ``landmark_path`` (set by the data set when ``data_prefix`` has
    ``landmark_path``), else from ``landmarks_file`` (lines ``<image> x1 y1 ... x5 y5``, for
    images of your own); an image with neither is an error.

    Required Keys: ``img``, ``img_path``, ``landmark_path`` (optional).
    Modified Keys: ``seg_fields``.
    Added Keys: ``gt_prior`` (np.float32, ``(H, W, K)``, stored form, see above).

    Args:
        bank_file (str): ``.npz`` written by ``tools/misc/build_prior_bank.py``.
        num_neighbors (int): N of Eq. 5. Default: 5.
        landmarks_file (str, optional): landmark table for images without landmark files.
    """

    def __init__(
        self, bank_file: str, num_neighbors: int = 5, landmarks_file: Optional[str] = None
    ):
        self.bank_file = bank_file
        self.num_neighbors = num_neighbors
        self.landmarks_file = landmarks_file

    @property
    def bank(self) -> PriorBank:
        if self.bank_file not in _BANKS:  # once per process, not per image
            _BANKS[self.bank_file] = PriorBank.load(self.bank_file)
        return _BANKS[self.bank_file]

    def transform(self, results: dict) -> dict:
        name = osp.splitext(osp.basename(results['img_path']))[0]
        bank = self.bank  # a missing bank file is reported first
        points = _find_landmarks(results, self.landmarks_file, _TABLES)
        prior = bank.prior_for_image(
            points, results['img'].shape[:2], name=name, num_neighbors=self.num_neighbors
        )
        results['gt_prior'] = store_prior(prior)
        results.setdefault('seg_fields', []).append('gt_prior')
        return results

    def __repr__(self):
        return (
            f'{type(self).__name__}(bank_file={self.bank_file!r}, '
            f'num_neighbors={self.num_neighbors})'
        )
