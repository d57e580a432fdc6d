"""Face-aware geometric augmentation: the paper's face crops and mirroring.

Mirroring swaps left and right in labels, prior channels and landmarks.
"""

from typing import List, Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmseg.datasets.transforms import RandomFlip
from mmseg.registry import TRANSFORMS

from ..prior_bank import NUM_POINTS
from .prior_storage import STORED_NO_PRIOR, is_stored_prior

#: Index pairs of the 5 key points that a mirror exchanges: the eyes and the mouth corners.
KEYPOINT_PAIRS = ((0, 1), (3, 4))
#: Index pairs of the 68 iBUG points that a mirror exchanges (jaw, brows, nose wings, eyes,
#: outer and inner lips).
IBUG68_PAIRS = tuple(
    [(i, 16 - i) for i in range(8)]
    + [(17 + i, 26 - i) for i in range(5)]
    + [(31, 35), (32, 34)]
    + [(36, 45), (37, 44), (38, 43), (39, 42), (40, 47), (41, 46)]
    + [(48, 54), (49, 53), (50, 52), (55, 59), (56, 58)]
    + [(60, 64), (61, 63), (65, 67)]
)


def keypoint_pairs(num_points: int) -> Tuple[Tuple[int, int], ...]:
    """The pairs a mirror exchanges among ``num_points`` landmarks.

    5 (the key points) or 5 + 68 (the key points, then the 68 iBUG points of the dense prior).

    >>> len(keypoint_pairs(5)), len(keypoint_pairs(73)), keypoint_pairs(73)[2]
    (2, 31, (5, 21))
    """
    if num_points == NUM_POINTS:
        return KEYPOINT_PAIRS
    if num_points == NUM_POINTS + 68:
        return KEYPOINT_PAIRS + tuple((a + NUM_POINTS, b + NUM_POINTS) for a, b in IBUG68_PAIRS)
    raise ValueError(f'face landmarks: expected 5 or 73 points, got {num_points}')


def _by4(fn, arr: np.ndarray) -> np.ndarray:
    """Apply an OpenCV ``fn`` (at most 4 channels) to any number of channels."""
    if arr.ndim == 3 and arr.shape[-1] > 4:
        parts = [fn(arr[..., c : c + 4]) for c in range(0, arr.shape[-1], 4)]
        return np.concatenate([p.reshape(p.shape[:2] + (-1,)) for p in parts], axis=-1)
    out = fn(arr)
    return out.reshape(out.shape[:2] + arr.shape[2:])


def _warp(arr: np.ndarray, mat: np.ndarray, size, interp: int, border) -> np.ndarray:
    """``cv2.warpAffine`` of any number of channels."""
    return _by4(
        lambda a: cv2.warpAffine(a, mat, tuple(size), flags=interp, borderValue=border), arr
    )


def _resample(arr: np.ndarray, mat: np.ndarray, size, border) -> np.ndarray:
    """Bilinear affine resampling that area-averages when it shrinks.

    No aliasing of thin brows and lips: when ``mat`` shrinks both axes, the shrink (each axis by
    the length of its column of ``mat``) is done first by ``cv2.resize(INTER_AREA)`` (half-pixel
    centres, as ``half_pixel_scale``), the rest of ``mat`` (a rotation, a shift) by
    ``cv2.warpAffine``.
    """
    lin = mat[:, :2]
    shrink = np.linalg.norm(lin, axis=0)  # (sx, sy): how much a unit step along x / y moves
    if (shrink < 1).all():
        sx, sy = shrink
        arr = _by4(lambda a: cv2.resize(a, (0, 0), fx=sx, fy=sy, interpolation=cv2.INTER_AREA), arr)
        # pixel p' of the shrunk image sits at (p' + 0.5) / s - 0.5 of the original
        lin = lin / shrink
        shift = mat[:, 2] + mat[:, :2] @ (0.5 / shrink - 0.5)
        if np.abs(lin - np.eye(2)).max() < 1e-9 and np.abs(shift).max() < 1e-6:
            if arr.shape[1::-1] == tuple(size):
                return arr
        mat = np.concatenate([lin, shift[:, None]], axis=1)
    return _warp(arr, mat, size, cv2.INTER_LINEAR, border)


def _warp_fields(results: dict, mat: np.ndarray, size) -> None:
    """Apply the affine ``mat`` to the image, every map in ``seg_fields`` and the key points.

    Label maps: nearest, 255 (ignored) outside the image; the image and the prior (in its
    ``prior_storage`` form): bilinear / area (``_resample``), 0 and no prior outside.
    """
    w, h = size
    results['img'] = _resample(results['img'], mat, size, 0)
    for key in results.get('seg_fields', []):
        arr = results[key]
        if is_stored_prior(arr):
            results[key] = _resample(arr, mat, size, (STORED_NO_PRIOR,) * 4)
        else:
            results[key] = _warp(arr, mat, size, cv2.INTER_NEAREST, 255)
    if results.get('gt_keypoints') is not None:
        kp = results['gt_keypoints'].copy()
        kp[..., :2] = kp[..., :2] @ mat[:, :2].T + mat[:, 2]
        results['gt_keypoints'] = kp
    results['img_shape'] = (h, w)


def half_pixel_scale(kx: float, ky: float) -> np.ndarray:
    """``2 x 3`` affine that scales an image as ``F.interpolate`` and ``cv2.resize`` do.

    With ``align_corners=False`` pixel *edges* scale, so pixel ``x`` maps to ``(x + 0.5) k - 0.5``.

    ``cv2.warpAffine`` puts pixel centres at integer coordinates; a plain ``diag(k)`` would
    land every pixel ``(1 - k) / (2 k)`` input pixels away from where mmseg's resize back
    (``postprocess_result``: bilinear, ``align_corners=False``) returns it.
    """
    return np.array([[kx, 0, 0.5 * (kx - 1)], [0, ky, 0.5 * (ky - 1)]], np.float64)


@TRANSFORMS.register_module()
class FaceCropResize(BaseTransform):
    """The paper's Helen recipe: crop the face region and scale it to ``scale``.

    The face takes one of several sizes ("four images with different face sizes").

    The face box is the bounding box of the 5 key points (eye centres, nose tip, mouth
    corners), ``s`` its larger side. ``mode='crop'`` (training) cuts a square of side
    ``s / r`` centred on the box, ``r`` drawn from ``face_ratios``, and scales it to ``scale``
    (pixels outside the image: 0 in the image, 255 = ignored in labels). ``mode='rescale'``
    (testing) scales the *whole* image by the same rule with ``r`` the mean ratio and crops
    nothing, so predictions map back to the original image and are scored at the ground
    truth's resolution; it scales with half-pixel centres (``half_pixel_scale``), the
    convention of mmseg's resize back, so predictions return exactly where they belong.

    In crop mode the square can also be turned about the face box's centre by an angle drawn
    uniformly from ``[-max_rotate_degree, max_rotate_degree]`` (an in-plane head roll): image,
    labels, prior and key points turn together (labels nearest, 255 in the corners brought in;
    the prior bilinear, "no prior" there), so unlike mmseg's ``RandomRotate`` it may come after
    ``LoadFacePrior``.

    Required Keys: ``img``, ``gt_keypoints`` (``LoadFaceLandmarks``), ``seg_fields``.
    Modified Keys: ``img``, ``img_shape``, maps in ``seg_fields``, ``gt_keypoints``.

    Args:
        scale (tuple): output ``(w, h)`` in crop mode. Default: (250, 250).
        face_ratios (Sequence[float]): fractions of the output side taken by ``s``.
            Default: (0.2, 0.25, 0.3, 0.35).
        mode (str): ``'crop'`` or ``'rescale'``. Default: 'crop'.
        max_rotate_degree (float): largest roll in degrees (crop mode only). Default: 0.
    """

    def __init__(
        self,
        scale=(250, 250),
        face_ratios=(0.2, 0.25, 0.3, 0.35),
        mode='crop',
        max_rotate_degree=0.0,
    ):
        if mode not in ('crop', 'rescale'):
            raise ValueError(f"FaceCropResize: mode must be 'crop' or 'rescale', got {mode!r}")
        if not 0 <= max_rotate_degree <= 180:
            raise ValueError(
                f'FaceCropResize: max_rotate_degree must lie in [0, 180], got {max_rotate_degree}'
            )
        if max_rotate_degree and mode != 'crop':
            raise ValueError(
                "FaceCropResize: max_rotate_degree needs mode='crop' (a rescaled test image "
                'must map back to the original)'
            )
        self.scale = tuple(scale)
        self.face_ratios = tuple(face_ratios)
        self.mode = mode
        self.max_rotate_degree = float(max_rotate_degree)

    @cache_randomness
    def _ratio(self) -> float:
        if self.mode == 'rescale':
            return float(np.mean(self.face_ratios))
        return float(np.random.choice(self.face_ratios))

    @cache_randomness
    def _angle(self) -> float:
        """The roll in radians (0 unless ``max_rotate_degree``)."""
        if not self.max_rotate_degree:
            return 0.0
        return float(np.deg2rad(np.random.uniform(-self.max_rotate_degree, self.max_rotate_degree)))

    def transform(self, results: dict) -> dict:
        """Crop (or rescale) image, maps, prior and landmarks around the face."""
        if results.get('gt_keypoints') is None:
            raise ValueError(
                f'{results.get("img_path", "<image>")}: FaceCropResize needs the '
                'face landmarks; add LoadFaceLandmarks before it'
            )
        pts = results['gt_keypoints'][0, :NUM_POINTS, :2]  # the 5 key points place the crop
        lo, hi = pts.min(0), pts.max(0)
        side = max(float((hi - lo).max()), 1.0) / self._ratio()
        k = self.scale[0] / side
        if self.mode == 'rescale':
            h, w = results['img'].shape[:2]
            size = (max(1, round(w * k)), max(1, round(h * k)))
            mat = half_pixel_scale(size[0] / w, size[1] / h)
        else:
            centre = (lo + hi) / 2
            kx, ky = self.scale[0] / side, self.scale[1] / side
            angle = self._angle()
            c, s = np.cos(angle), np.sin(angle)
            lin = np.diag([kx, ky]) @ np.array([[c, s], [-s, c]])
            # the box centre goes to the output's centre (side / 2 scaled)
            shift = np.array([side / 2 * kx, side / 2 * ky]) - lin @ centre
            mat = np.concatenate([lin, shift[:, None]], axis=1)
            size = self.scale
        _warp_fields(results, mat, size)
        results['scale_factor'] = (kx, ky) if self.mode == 'crop' else (mat[0, 0], mat[1, 1])
        return results

    def __repr__(self):
        """The transform's arguments, as mmcv transforms print them."""
        return (
            f'{type(self).__name__}(scale={self.scale}, face_ratios={self.face_ratios}, '
            f'mode={self.mode!r}, max_rotate_degree={self.max_rotate_degree})'
        )


def mirror_order(pairs: Sequence[Sequence[int]], n: int) -> List[int]:
    """``range(n)`` with each index pair exchanged: the order of classes or points in a mirror.

    Examples:
        >>> mirror_order([(2, 3), (4, 5)], 7)
        [0, 1, 3, 2, 5, 4, 6]
    """
    order = list(range(n))
    for a, b in pairs:
        order[a], order[b] = b, a
    return order


def mirror_landmarks(points: np.ndarray, width: int, swap=None) -> np.ndarray:
    """Landmarks ``(..., K, 2)`` of the horizontally mirrored image, identities swapped.

    A point at pixel ``x`` goes to ``width - 1 - x``, where its pixel goes; the index pairs in
    ``swap`` (default: :func:`keypoint_pairs` of ``K``: left/right eye and mouth corner of the 5
    points, and the 68 points' pairs after them) exchange places.
    """
    out = np.array(points, copy=True)
    if swap is None:
        swap = keypoint_pairs(out.shape[-2])
    out[..., 0] = width - 1 - out[..., 0]
    return out[..., mirror_order(swap, out.shape[-2]), :]


def mirror_face(img: np.ndarray, points: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """The mirror face: the ``(H, W, C)`` image flipped left-right, its points mirrored.

    Points: ``(5, 2)`` key points, or ``(73, 2)`` with the 68 after them.

    What every test-time mirroring parses (``models.segmentors.face_tta_model``); the prior is
    then rendered from the mirrored points.
    """
    return np.ascontiguousarray(img[:, ::-1]), mirror_landmarks(points, img.shape[1])


@TRANSFORMS.register_module()
class FaceRandomFlip(RandomFlip):
    """mmseg's ``RandomFlip`` that also mirrors the face landmarks.

    Image and maps are flipped and left/right labels swapped through ``swap_seg_labels``; the
    landmarks are mirrored and their identities swapped.

    mmseg 1.2.2's ``RandomFlip`` leaves ``gt_keypoints`` untouched, and mmcv's flips only the
    coordinates (as ``w - x``); here a point at pixel ``x`` goes to ``w - 1 - x``, where its
    pixel goes, and the pairs in ``swap_keypoints`` (by default :func:`keypoint_pairs`: left/right
    eye and mouth corner of the 5 points, and the 68 points' pairs after them) exchange rows.
    Prior channels are swapped by ``PackFaceInputs``.

    Required Keys: as ``RandomFlip``; ``gt_keypoints`` (optional).
    Modified Keys: as ``RandomFlip``; ``gt_keypoints``.

    Args:
        swap_keypoints (Sequence[tuple], optional): landmark index pairs. Default: None
            (:func:`keypoint_pairs` of the number of points).
        **kwargs: ``RandomFlip`` arguments (``prob``, ``direction``, ``swap_seg_labels``).
    """

    def __init__(self, swap_keypoints=None, **kwargs):
        super().__init__(**kwargs)
        self.swap_keypoints = None if swap_keypoints is None else [tuple(p) for p in swap_keypoints]

    def _flip(self, results: dict) -> None:
        super()._flip(results)
        kp = results.get('gt_keypoints')
        if kp is None or results['flip_direction'] != 'horizontal':
            return
        results['gt_keypoints'] = mirror_landmarks(kp, results['img'].shape[1], self.swap_keypoints)
