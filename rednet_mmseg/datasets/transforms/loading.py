"""Loading face landmarks and the adaptive prior."""

import os
import os.path as osp
from typing import Dict, Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from ..landmark_table import LandmarkError, check_points_in_image, image_key, read_landmark_table
from ..prior_bank import NUM_DENSE_POINTS, NUM_POINTS, PriorBank
from .prior_storage import store_prior


def read_landmarks(path: str, num_points: int = 5) -> np.ndarray:
    """``(num_points, 2)`` float32 points from a file of ``x y`` lines; clear errors."""
    try:
        pts = np.loadtxt(path, dtype=np.float32, ndmin=2)
    except (OSError, ValueError) as err:
        raise ValueError(f'{path}: missing or malformed landmark file ({err})') from err
    if pts.shape != (num_points, 2):
        raise ValueError(
            f'{path}: expected {num_points} finite "x y" lines, got an array of shape {pts.shape}'
        )
    if not np.isfinite(pts).all():
        line = int(np.argmin(np.isfinite(pts).all(axis=1))) + 1
        raise LandmarkError(f'{path}: point {line} is not a pair of finite numbers')
    return pts


def _find_landmarks(
    results: dict, landmarks_file: Optional[str], num_points: int = 5
) -> np.ndarray:
    """The image's 5 key points, from memory, a file or a table.

    ``face_landmarks`` already in ``results`` (given in memory, e.g. by ``FaceParsingInferencer``),
    else ``landmark_path``, else the ``landmarks_file`` table, else an error. Points that are not
    finite or lie far outside the image are refused.
    """
    img_path = results.get('img_path') or '<image>'
    if results.get('face_landmarks') is not None:
        pts, where = np.asarray(results['face_landmarks'], np.float32), f'{img_path}'
        if pts.shape != (num_points, 2):
            raise LandmarkError(
                f'{img_path}: face_landmarks of shape {pts.shape}, expected {(num_points, 2)}'
            )
    elif results.get('landmark_path'):
        pts, where = read_landmarks(results['landmark_path'], num_points), results['landmark_path']
    else:
        name = image_key(img_path)
        table = _table(landmarks_file, num_points) if landmarks_file is not None else {}
        if name not in table:
            raise ValueError(
                f'{img_path}: no landmarks for this image; its 5 key points (eye centres, '
                'nose tip, mouth corners) are needed. Give the data set data_prefix '
                f'landmark_path, or landmarks_file=... with a line "{name} x1 y1 ... x5 y5".'
            )
        pts, where = table[name], landmarks_file
    if results.get('img') is not None:
        check_points_in_image(pts, results['img'].shape, where, image=img_path)
    return pts


def _table(path: str, num_points: int) -> Dict[str, np.ndarray]:
    """A landmark table read once per process and file version (path, size, mtime)."""
    try:
        stat = os.stat(path)
    except OSError as err:
        raise LandmarkError(f'{path}: cannot read the landmark table ({err.strerror})') from None
    key = (osp.abspath(path), stat.st_size, stat.st_mtime_ns, num_points)
    if key not in _TABLES:
        _TABLES[key] = read_landmark_table(path, num_points)
    return _TABLES[key]


_TABLES: Dict[tuple, Dict[str, np.ndarray]] = {}


@TRANSFORMS.register_module()
class LoadFaceLandmarks(BaseTransform):
    """Load the key points written by the converters (one ``x y`` line per point).

    They are stored as ``gt_keypoints`` of one instance, ``(1, K, 3)`` with columns
    ``x, y, visible``, so face-aware transforms move them with the image. For images of your
    own, ``landmarks_file`` is a table of lines ``<image> x1 y1 ... x5 y5``
    (``rednet_mmseg.datasets.landmark_table``), and points already in ``results``
    (``face_landmarks``, ``(K, 2)``) take precedence over both. Points that are not finite or
    lie far outside the image are an error naming their file and the image.

    With ``dense=True`` (the dense prior, ``LoadFacePrior(dense=True)``) the 68 iBUG points of
    the face follow the 5 key points: ``gt_keypoints`` is ``(1, 73, 3)``. They come from
    ``face_landmarks`` of shape ``(73, 2)`` in ``results`` (the inferencer's detections), else
    from ``dense_landmarks_file``, a table of lines ``<image> x1 y1 ... x68 y68``
    (``tools/misc/detect_landmarks.py --points 68``).

    Required Keys: ``img_path``, ``img`` (optional, for the range check), ``face_landmarks``
    (optional), ``landmark_path`` (optional).
    Added Keys: ``gt_keypoints`` (np.float32, ``(1, K, 3)``).

    Args:
        num_points (int): expected number of key points. Default: 5.
        landmarks_file (str, optional): landmark table for images without landmark files.
        dense (bool): append the 68 points. Default: False.
        dense_landmarks_file (str, optional): the 68-point table (needed with ``dense`` for
            images whose 68 points are not in ``face_landmarks``).
    """

    def __init__(
        self,
        num_points: int = 5,
        landmarks_file: Optional[str] = None,
        dense: bool = False,
        dense_landmarks_file: Optional[str] = None,
    ):
        self.num_points = num_points
        self.landmarks_file = landmarks_file
        self.dense = dense
        self.dense_landmarks_file = dense_landmarks_file

    def _dense(self, results: dict) -> np.ndarray:
        """``(68, 2)`` points of the image (and ``face_landmarks`` cut to its key points)."""
        img_path = results.get('img_path') or '<image>'
        given = results.get('face_landmarks')
        if given is not None and len(given) == self.num_points + NUM_DENSE_POINTS:
            given = np.asarray(given, np.float32)
            results['face_landmarks'] = given[: self.num_points]
            pts = given[self.num_points :]
        else:
            name = image_key(img_path)
            table = (
                _table(self.dense_landmarks_file, NUM_DENSE_POINTS)
                if self.dense_landmarks_file is not None
                else {}
            )
            if name not in table:
                raise LandmarkError(
                    f'{img_path}: no 68 face points for the dense prior; give face_landmarks '
                    f'of shape ({self.num_points + NUM_DENSE_POINTS}, 2) or '
                    'dense_landmarks_file=... (tools/misc/detect_landmarks.py --points 68)'
                )
            pts = table[name]
        # finite (checked where read); not range-checked: the jaw of a face cut by the image
        # border lies outside it
        return pts

    def transform(self, results: dict) -> dict:
        """Set ``gt_keypoints`` ``(1, P, 3)`` float32: the points, visibility 1."""
        dense = self._dense(results) if self.dense else np.zeros((0, 2), np.float32)
        given = results.get('face_landmarks') is not None or results.get('landmark_path')
        if not given and self.landmarks_file is None:
            raise ValueError(
                f'{results.get("img_path", "<image>")}: no landmark file (the data '
                'set has no landmarks folder or data_prefix lacks landmark_path)'
            )
        pts = np.concatenate(
            [_find_landmarks(results, self.landmarks_file, self.num_points), dense]
        )
        vis = np.ones((len(pts), 1), np.float32)
        results['gt_keypoints'] = np.concatenate([pts, vis], axis=1)[None]
        return results

    def __repr__(self):
        """The transform's arguments, as mmcv transforms print them."""
        return f'{type(self).__name__}(num_points={self.num_points}, dense={self.dense})'


_BANKS: Dict[str, PriorBank] = {}


def _mirrored(results: dict) -> bool:
    """Whether the image has been mirrored left-right by the transforms so far."""
    return bool(results.get('flip')) and results.get('flip_direction') == 'horizontal'


@TRANSFORMS.register_module()
class LoadFacePrior(BaseTransform):
    """Compute the kNN face prior of the image (paper Eq. 5) in the image's pixel frame.

    The prior is rendered from the 5 key points where the image is now: ``gt_keypoints`` when
    ``LoadFaceLandmarks`` came first (moved by mmcv's ``Resize`` / ``RandomResize``,
    ``FaceCropResize``, ``FaceRandomFlip``), so resizes belong *before* this step. It is
    registered in ``seg_fields``, so the crops and flips after it move it exactly like the
    label map, and :class:`PackFaceInputs` swaps its left/right channels after a later
    horizontal flip. Transforms that would move it wrongly (mmseg's resizes and rotations after
    it, crops and rotations before it) are refused when the pipeline is built
    (``prior_storage.check_prior_pipeline``). While in ``seg_fields`` it is stored as
    ``prior - 1`` (``prior_storage``), so the value-based label swapping of
    ``RandomFlip(swap_seg_labels=...)`` can never alter it.

    Without ``gt_keypoints``, landmarks come from ``face_landmarks`` in ``results`` (points
    given in memory), else
    ``landmark_path`` (set by the data set when ``data_prefix`` has ``landmark_path``), else
    ``landmarks_file`` (lines ``<image> x1 y1 ... x5 y5``, for images of your own); an image
    with none of them is an error.

    Required Keys: ``img``, ``img_path``, ``face_landmarks`` (optional), ``landmark_path``
    (optional).
    Modified Keys: ``seg_fields``.
    Added Keys: ``gt_prior`` (np.float32, ``(H, W, K)``, stored form, see above).

    Args:
        bank_file (str): ``.npz`` written by ``tools/misc/build_prior_bank.py``.
        num_neighbors (int): N of Eq. 5. Default: 5.
        landmarks_file (str, optional): landmark table for images without landmark files.
        dense (bool): the dense prior (not in the paper): neighbours chosen by their 68 points
            and warped triangle by triangle onto the image's 68 points
            (:meth:`PriorBank.dense_prior_for_image`); needs ``LoadFaceLandmarks(dense=True)``
            before it and a bank built with 68 points. Default: False.
        cache (bool): keep each image's dense prior (as uint8 votes) for the next time the
            image comes, in this process: for training pipelines that render the prior in the
            image's own frame (before any random step), where it depends on nothing else; the
            triangle warp then runs once per image, not once per epoch. Default: False.
    """

    def __init__(
        self,
        bank_file: str,
        num_neighbors: int = 5,
        landmarks_file: Optional[str] = None,
        dense: bool = False,
        cache: bool = False,
    ):
        self.bank_file = bank_file
        self.num_neighbors = num_neighbors
        self.landmarks_file = landmarks_file
        self.dense = dense
        self.cache = cache
        self._cached: Dict[tuple, tuple] = {}
        if bank_file not in _BANKS and not osp.isfile(bank_file):
            # now, while the pipeline is built in the main process: inside a DataLoader worker
            # the error would come wrapped in the worker's whole traceback
            PriorBank.load(bank_file)  # raises the named FileNotFoundError

    @property
    def bank(self) -> PriorBank:
        """The prior bank of ``bank_file``, read once per process."""
        if self.bank_file not in _BANKS:  # once per process, not per image
            _BANKS[self.bank_file] = PriorBank.load(self.bank_file)
        return _BANKS[self.bank_file]

    def transform(self, results: dict) -> dict:
        """Set ``face_prior`` ``(H, W, K)`` float32 from the image's landmarks (Eq. 5)."""
        name = image_key(results['img_path']) if results.get('img_path') else None
        bank = self.bank  # a missing bank file is reported first
        if self.dense:
            prior = self._dense_prior(results, bank, name)
        else:
            if results.get('gt_keypoints') is not None:  # moved by the transforms before this
                points = np.asarray(results['gt_keypoints'][0, :NUM_POINTS, :2], np.float32)
            else:
                points = _find_landmarks(results, self.landmarks_file)
            prior = bank.prior_for_image(
                points, results['img'].shape[:2], name=name, num_neighbors=self.num_neighbors
            )
        results['gt_prior'] = store_prior(prior)
        results.setdefault('seg_fields', []).append('gt_prior')
        # a mirror before this step is already in the points: PackFaceInputs swaps the prior's
        # left/right channels only for a mirror after it
        results['prior_flipped'] = _mirrored(results)
        return results

    def _dense_prior(self, results: dict, bank: PriorBank, name) -> np.ndarray:
        """``(H, W, K)`` dense prior from the 68 points after the 5 in ``gt_keypoints``."""
        img_path = results.get('img_path') or '<image>'
        kp = results.get('gt_keypoints')
        if kp is None or kp.shape[1] != NUM_POINTS + NUM_DENSE_POINTS:
            raise ValueError(
                f'{img_path}: LoadFacePrior(dense=True) needs the 68 face points: put '
                'LoadFaceLandmarks(dense=True) before it'
            )
        if not bank.has_dense:
            raise ValueError(
                f'{self.bank_file}: this prior bank has no 68-point shapes; build it with '
                '`tools/misc/build_prior_bank.py ... --dense-landmarks TABLE`'
            )
        points, shape = kp[0, NUM_POINTS:, :2], results['img'].shape[:2]
        key = (name, shape, np.asarray(points, np.float32).tobytes())
        if self.cache and key in self._cached:
            votes, n = self._cached[key]
            return votes.astype(np.float32) / n
        counts, n = bank.dense_votes(points, shape, name, self.num_neighbors)
        if self.cache:  # the votes of n neighbours: whole numbers up to n
            self._cached[key] = (counts.astype(np.uint8), n)
        return counts.astype(np.float32) / n

    def __repr__(self):
        """The transform's arguments, as mmcv transforms print them."""
        return (
            f'{type(self).__name__}(bank_file={self.bank_file!r}, '
            f'num_neighbors={self.num_neighbors}, dense={self.dense})'
        )
