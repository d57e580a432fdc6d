"""The landmark-PCA kNN prior bank of the adaptive prior (paper "Adaptive prior", Eq. 5).

Following Liu et al. 2015 as the paper does, every face is represented by five key points (two
eye centres, nose tip, two mouth corners). A PCA subspace is fitted on the bank split (the
validation set in the paper); an image's prior is the per-class average of the one-hot ground
truth of its N nearest bank images in that subspace (Eq. 5).

**Landmark normalisation before PCA.** Each 5-point shape is centred on its centroid, scaled to
unit RMS radius and rotated onto the bank's mean shape (Procrustes). Position, scale and
in-plane rotation are removed because a neighbour's ground truth is brought onto the image by
a similarity transform estimated from the same five points: they are compensated exactly, so
only what the warp cannot fix (head pose, expression, face proportions) should decide which
bank faces are neighbours.

**Canonical frame.** At build time every bank label map is warped by a similarity transform
into a square canvas where the mean shape sits at fixed positions, so averaging neighbours is a
cheap mean over aligned maps; the average is then warped onto the image with the similarity
from the canvas points to the image's own points.

**Dense prior (not in the paper).** A bank built with each image's 68 iBUG points as well keeps
them in the canvas frame (``dense_points``); :meth:`PriorBank.dense_prior_for_image` then picks
neighbours by the Procrustes distance of their 68 points and warps each one's map triangle by
triangle onto the image's own 68 points (:mod:`~rednet_mmseg.datasets.piecewise_warp`).
"""

import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

#: Key points per face: eye centres, nose tip, mouth corners (the converters' 5 points).
NUM_POINTS = 5
#: Points of the dense prior: dlib's / iBUG 300-W's 68.
NUM_DENSE_POINTS = 68


def similarity_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """``(2, 3)`` least-squares similarity mapping ``src`` onto ``dst`` (Umeyama 1991).

    Rotation, uniform scale and translation, no reflection; ``src`` and ``dst`` are ``(P, 2)``
    points.
    """
    src, dst = np.asarray(src, np.float64), np.asarray(dst, np.float64)
    mu_s, mu_d = src.mean(0), dst.mean(0)
    s, d = src - mu_s, dst - mu_d
    cov = d.T @ s / len(src)
    u, sig, vt = np.linalg.svd(cov)
    sign = np.diag([1.0, np.sign(np.linalg.det(u @ vt)) or 1.0])
    rot = u @ sign @ vt
    scale = np.trace(np.diag(sig) @ sign) / max((s**2).sum() / len(src), 1e-12)
    mat = np.zeros((2, 3))
    mat[:, :2] = scale * rot
    mat[:, 2] = mu_d - scale * rot @ mu_s
    return mat


def normalize_shape(points: np.ndarray, reference: Optional[np.ndarray] = None) -> np.ndarray:
    """Centre, scale to unit RMS radius and (with a reference) rotate onto it.

    Args:
        points (np.ndarray): ``(..., P, 2)``.
        reference (np.ndarray, optional): ``(P, 2)`` normalised reference shape.

    Returns:
        np.ndarray: ``(..., P, 2)`` normalised shapes.
    """
    pts = np.asarray(points, np.float64)
    pts = pts - pts.mean(-2, keepdims=True)
    pts = pts / np.sqrt((pts**2).sum(-1).mean(-1))[..., None, None].clip(1e-12)
    if reference is None:
        return pts
    flat = pts.reshape(-1, *pts.shape[-2:])
    out = np.empty_like(flat)
    for i, p in enumerate(flat):
        mat = similarity_transform(p, reference)
        rot = mat[:, :2] / np.sqrt(abs(np.linalg.det(mat[:, :2])))
        out[i] = p @ rot.T
    return out.reshape(pts.shape)


class PriorBank:
    """Bank of aligned ground-truth maps with a PCA landmark index.

    Args:
        names (Sequence[str]): bank image names, ``M``.
        maps (np.ndarray): ``(M, S, S)`` uint8 label maps in the canonical canvas.
        codes (np.ndarray): ``(M, d)`` PCA codes of the bank shapes.
        mean (np.ndarray): ``(10, )`` PCA mean. components (np.ndarray): ``(d, 10)``.
        reference (np.ndarray): ``(5, 2)`` normalised mean shape.
        canvas_points (np.ndarray): ``(5, 2)`` mean shape in canvas pixels.
        num_classes (int): ``K``.
        neighbours (dict, optional): precomputed ``image name -> bank indices`` (nearest
            first), filled by :meth:`precompute_neighbours`.
        dense_points (np.ndarray, optional): ``(M, 68, 2)`` each bank image's 68 points in
            the canvas (moved by the same similarity as its map), for
            :meth:`dense_prior_for_image`.
    """

    def __init__(
        self,
        names,
        maps,
        codes,
        mean,
        components,
        reference,
        canvas_points,
        num_classes,
        neighbours: Optional[Dict[str, np.ndarray]] = None,
        dense_points: Optional[np.ndarray] = None,
    ):
        self.names = [str(n) for n in names]
        self.maps = maps
        self.codes = codes
        self.mean = mean
        self.components = components
        self.reference = reference
        self.canvas_points = canvas_points
        self.num_classes = int(num_classes)
        self.neighbours = dict(neighbours or {})
        self._index = {n: i for i, n in enumerate(self.names)}
        self.dense_points = None if dense_points is None else np.asarray(dense_points, np.float32)
        self._dense_shapes = None  # normalised on first use

    # ------------------------------------------------------------------ building
    @classmethod
    def build(
        cls,
        names: Sequence[str],
        label_maps: Sequence[np.ndarray],
        landmarks: Sequence[np.ndarray],
        num_classes: int,
        canvas_size: int = 128,
        variance: float = 0.99,
        progress=None,
        dense_landmarks: Optional[Sequence[np.ndarray]] = None,
    ) -> 'PriorBank':
        """Fit PCA on the bank shapes and align their label maps into the canvas.

        Args:
            names (Sequence[str]): the bank images' names.
            label_maps (Sequence[np.ndarray]): their ``(H_i, W_i)`` uint8 label maps.
            landmarks (Sequence[np.ndarray]): their ``(5, 2)`` points.
            num_classes (int): ``K``.
            canvas_size (int): ``S``, the side of the canonical frame. Default: 128.
            variance (float): PCA keeps the fewest components explaining this fraction.
            progress (callable, optional): wraps the per-image loop (e.g. ``tqdm``).
            dense_landmarks (Sequence[np.ndarray], optional): their ``(68, 2)`` iBUG points,
                for the dense prior.
        """
        if len(names) < 2:
            raise ValueError('the prior bank needs at least two images')
        pts = np.stack([np.asarray(p, np.float64) for p in landmarks])
        if pts.shape[1:] != (NUM_POINTS, 2):
            raise ValueError(
                f'the prior bank needs {NUM_POINTS} (x, y) points per face, got '
                f'landmarks of shape {pts.shape[1:]}'
            )
        shapes = normalize_shape(pts)
        reference = shapes.mean(0)
        for _ in range(3):  # generalised Procrustes: align to the mean, re-estimate it
            reference = normalize_shape(reference)
            shapes = normalize_shape(pts, reference)
            reference = shapes.mean(0)
        reference = normalize_shape(reference)
        flat = shapes.reshape(len(shapes), -1)
        mean = flat.mean(0)
        _, sig, vt = np.linalg.svd(flat - mean, full_matrices=False)
        energy = np.cumsum(sig**2) / max((sig**2).sum(), 1e-12)
        dim = int(np.searchsorted(energy, variance) + 1)
        components = vt[: min(dim, len(vt))]
        codes = (flat - mean) @ components.T
        # canvas: inter-ocular distance = S / 5, eyes at 45% of the height, centred (room
        # for hair above the brows)
        eye_dist = np.linalg.norm(reference[1] - reference[0])
        scale = canvas_size / 5 / eye_dist
        eyes_mid = (reference[0] + reference[1]) / 2
        canvas_points = (reference - eyes_mid) * scale + [canvas_size / 2, 0.45 * canvas_size]
        maps = np.empty((len(names), canvas_size, canvas_size), np.uint8)
        loop = progress(range(len(names))) if progress else range(len(names))
        for i in loop:
            mat = similarity_transform(pts[i], canvas_points)
            maps[i] = cv2.warpAffine(
                label_maps[i],
                mat,
                (canvas_size, canvas_size),
                flags=cv2.INTER_NEAREST,
                borderMode=cv2.BORDER_REPLICATE,
            )
        maps[maps >= num_classes] = 0  # ignore labels carry no prior information
        dense = None
        if dense_landmarks is not None:
            dense = np.stack([np.asarray(p, np.float64) for p in dense_landmarks])
            if dense.shape != (len(names), NUM_DENSE_POINTS, 2):
                raise ValueError(
                    f'the dense prior needs {NUM_DENSE_POINTS} (x, y) points per bank image, '
                    f'got landmarks of shape {dense.shape}'
                )
            for i in range(len(names)):
                mat = similarity_transform(pts[i], canvas_points)
                dense[i] = dense[i] @ mat[:, :2].T + mat[:, 2]
        return cls(
            names,
            maps,
            codes.astype(np.float32),
            mean,
            components,
            reference,
            canvas_points,
            num_classes,
            dense_points=dense,
        )

    def encode(self, landmarks: np.ndarray) -> np.ndarray:
        """``(..., 5, 2)`` image landmarks -> ``(..., d)`` PCA codes."""
        shapes = normalize_shape(landmarks, self.reference)
        flat = shapes.reshape(*shapes.shape[:-2], -1)
        return ((flat - self.mean) @ self.components.T).astype(np.float32)

    def query(
        self, landmarks: np.ndarray, num_neighbors: int = 5, exclude: Optional[str] = None
    ) -> np.ndarray:
        """Indices of the ``num_neighbors`` nearest bank images, nearest first.

        Euclidean distance in the PCA subspace; the bank image named ``exclude`` never counts.
        """
        dist = np.linalg.norm(self.codes - self.encode(landmarks), axis=1)
        if exclude is not None and exclude in self._index:
            dist[self._index[exclude]] = np.inf
        k = min(num_neighbors, len(self.names) - (exclude in self._index))
        return np.argsort(dist, kind='stable')[:k]

    def precompute_neighbours(
        self, names: Sequence[str], landmarks: Sequence[np.ndarray], num_neighbors: int = 5
    ) -> None:
        """Store the neighbours of every data set image, so loading does no search."""
        for name, pts in zip(names, landmarks):
            self.neighbours[name] = self.query(pts, num_neighbors, exclude=name)

    # ------------------------------------------------------------------ using
    def canvas_prior(self, indices: Sequence[int]) -> np.ndarray:
        """Eq. 5 in the canvas: ``(K, S, S)`` float32 mean of the neighbours' one-hot maps."""
        maps = self.maps[np.asarray(indices)]
        onehot = maps[None] == np.arange(self.num_classes)[:, None, None, None]
        return onehot.mean(1, dtype=np.float32)

    def prior_for_image(
        self,
        landmarks: np.ndarray,
        image_shape: Tuple[int, int],
        name: Optional[str] = None,
        num_neighbors: int = 5,
    ) -> np.ndarray:
        """The prior of one image in its own pixel frame.

        Args:
            landmarks (np.ndarray): ``(5, 2)`` points of the image.
            image_shape (tuple): ``(H, W)``.
            name (str, optional): image name; a bank image never uses itself, and precomputed
                neighbours are used when present.
            num_neighbors (int): ``N`` of Eq. 5. Default: 5.

        Returns:
            np.ndarray: ``(H, W, K)`` float32, each pixel a distribution over classes.
        """
        idx = self.neighbours.get(name) if name is not None else None
        if idx is None or len(idx) < num_neighbors:
            idx = self.query(landmarks, num_neighbors, exclude=name)
        prior = self.canvas_prior(idx[:num_neighbors])
        mat = similarity_transform(self.canvas_points, landmarks)
        h, w = image_shape
        chans = [
            cv2.warpAffine(
                prior[c : c + 4].transpose(1, 2, 0),
                mat,
                (w, h),
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REPLICATE,
            )
            for c in range(0, self.num_classes, 4)
        ]
        chans = [c[..., None] if c.ndim == 2 else c for c in chans]
        return np.concatenate(chans, axis=-1)

    # ------------------------------------------------------------------ dense prior
    @property
    def has_dense(self) -> bool:
        """Whether the bank keeps its images' 68 points (the dense prior)."""
        return self.dense_points is not None

    def query_dense(
        self, points68: np.ndarray, num_neighbors: int = 5, exclude: Optional[str] = None
    ) -> np.ndarray:
        """Indices of the bank images whose 68 points are nearest, nearest first.

        Procrustes distance: both shapes centred, scaled to unit RMS radius and rotated onto
        each other, so that only what a similarity cannot fix decides.
        """
        if not self.has_dense:
            raise ValueError('this prior bank has no 68-point shapes (built without them)')
        if self._dense_shapes is None:
            self._dense_shapes = normalize_shape(self.dense_points)
        shapes = self._dense_shapes
        query = normalize_shape(points68)
        # optimal rotation of each bank shape onto the query, in closed form
        a = (shapes * query).sum((1, 2))
        b = (shapes[..., 0] * query[:, 1] - shapes[..., 1] * query[:, 0]).sum(1)
        dist = 2.0 - 2.0 * np.hypot(a, b)  # |R s - q|^2 of unit-norm shapes
        if exclude is not None and exclude in self._index:
            dist[self._index[exclude]] = np.inf
        k = min(num_neighbors, len(self.names) - (exclude in self._index))
        return np.argsort(dist, kind='stable')[:k]

    def dense_prior_for_image(
        self,
        points68: np.ndarray,
        image_shape: Tuple[int, int],
        name: Optional[str] = None,
        num_neighbors: int = 5,
    ) -> np.ndarray:
        """The dense prior of one image in its own pixel frame (module docstring).

        Args:
            points68 (np.ndarray): ``(68, 2)`` iBUG points of the image.
            image_shape (tuple): ``(H, W)``.
            name (str, optional): image name; a bank image never uses itself.
            num_neighbors (int): ``N``. Default: 5.

        Returns:
            np.ndarray: ``(H, W, K)`` float32, each pixel a distribution over classes.
        """
        counts, n = self.dense_votes(points68, image_shape, name, num_neighbors)
        return counts.astype(np.float32) / n

    def dense_votes(
        self,
        points68: np.ndarray,
        image_shape: Tuple[int, int],
        name: Optional[str] = None,
        num_neighbors: int = 5,
    ) -> Tuple[np.ndarray, int]:
        """``(counts, n)``: Eq. 5 before its mean, as :meth:`dense_prior_for_image` takes them.

        ``counts`` ``(H, W, K)`` int64: how many of the ``n`` neighbours (warped) give each
        pixel each class (arguments as :meth:`dense_prior_for_image`).
        """
        from .piecewise_warp import PiecewiseAffineWarp  # scipy: imported only when used

        points68 = np.asarray(points68, np.float64)
        idx = self.query_dense(points68, num_neighbors, exclude=name)
        warp = PiecewiseAffineWarp(points68, image_shape)
        h, w = image_shape
        k = self.num_classes
        # Eq. 5's mean of one-hot maps as one count: pixel * K + label of every neighbour
        flat = np.arange(h * w, dtype=np.int64) * k
        votes = np.concatenate(
            [
                flat
                + warp.warp_labels(
                    self.maps[i],
                    self.dense_points[i],
                    similarity_transform(points68, self.dense_points[i]),
                ).ravel()
                for i in idx
            ]
        )
        return np.bincount(votes, minlength=h * w * k).reshape(h, w, k), len(idx)

    # ------------------------------------------------------------------ files
    def anonymised(self) -> 'PriorBank':
        """The same bank without its data set's file names, for shipping.

        Its images are named ``bank_000``, ... and it has no precomputed neighbours: every image's
        neighbours are then searched, none is excluded by name.
        """
        names = [f'bank_{i:03d}' for i in range(len(self.names))]
        return PriorBank(
            names,
            self.maps,
            self.codes,
            self.mean,
            self.components,
            self.reference,
            self.canvas_points,
            self.num_classes,
            dense_points=self.dense_points,
        )

    def save(self, path: str) -> None:
        """Write the bank atomically as ``.npz``."""
        nb_names = np.array(list(self.neighbours), dtype=str)
        nb_idx = [np.asarray(v, np.int32) for v in self.neighbours.values()]
        k = max((len(v) for v in nb_idx), default=0)
        nb = np.full((len(nb_idx), k), -1, np.int32)
        for i, v in enumerate(nb_idx):
            nb[i, : len(v)] = v
        tmp = f'{path}.partial-{os.getpid()}.npz'
        np.savez_compressed(
            tmp,
            names=np.array(self.names, dtype=str),
            maps=self.maps,
            codes=self.codes,
            mean=self.mean,
            components=self.components,
            reference=self.reference,
            canvas_points=self.canvas_points,
            num_classes=self.num_classes,
            neighbour_names=nb_names,
            neighbour_idx=nb,
            **({} if self.dense_points is None else {'dense_points': self.dense_points}),
        )
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str) -> 'PriorBank':
        """Read a bank written by :meth:`save` (a missing file is a named error)."""
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{path}: prior bank not found; build it with '
                f'`python tools/misc/build_prior_bank.py DATA_ROOT -o {path}`'
            )
        try:
            with np.load(path, allow_pickle=False) as f:
                data = {k: f[k] for k in f.files}
            neighbours = {
                str(n): row[row >= 0]
                for n, row in zip(data['neighbour_names'], data['neighbour_idx'])
            }
            return cls(
                data['names'],
                data['maps'],
                data['codes'],
                data['mean'],
                data['components'],
                data['reference'],
                data['canvas_points'],
                int(data['num_classes']),
                neighbours,
                dense_points=data.get('dense_points'),
            )
        except (KeyError, ValueError, OSError) as err:
            raise ValueError(f'{path}: not a valid prior bank ({err})') from err


def load_split(data_root: str, split: str) -> Tuple[List[str], List[str], List[str]]:
    """Names, label paths and landmark paths of a converted split (converter layout)."""
    ann_dir = osp.join(data_root, 'annotations', split)
    lm_dir = osp.join(data_root, 'landmarks', split)
    if not osp.isdir(ann_dir):
        raise FileNotFoundError(f'{ann_dir}: no annotations for split {split!r}')
    names = sorted(osp.splitext(f)[0] for f in os.listdir(ann_dir) if f.endswith('.png'))
    return (
        names,
        [osp.join(ann_dir, f'{n}.png') for n in names],
        [osp.join(lm_dir, f'{n}.txt') for n in names],
    )
