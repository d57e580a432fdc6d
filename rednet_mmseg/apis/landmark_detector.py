"""Five face landmarks for photos that come without them, in the Helen converter's convention.

Face boxes from dlib's HOG detector (its CNN detector, ``mmod_human_face_detector``, when HOG
finds nothing), points from the 68-point shape predictor; weights from the registry package
``face-recognition-models``, nothing downloaded. Five points as the converters write them
(``HELEN_5POINT_DOC``): left and right eye centres (means of 68-point eyes 36-41 / 42-47),
nose tip (30), left and right mouth corners (48 / 54), image-left first, then moved by
``HELEN_OFFSETS`` onto the converter's definition of each point.

Measured on the 298 real photos of the Helen-layout dev set (``docs/en/inference.md``).
"""

import os.path as osp
import warnings
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from ..datasets.landmark_table import check_points_in_image

#: Mean offset of each point from the Helen converter's (Helen point 49 is the middle of the
#: lower nose contour, below the 68-point nose tip) in units of the inter-ocular distance,
#: along the eye axis and its perpendicular (pointing down the face). Measured on the 218
#: training photos of the real-face dev set; subtracted from every detection.
HELEN_OFFSETS = np.array(
    [[-0.014, 0.017], [-0.002, 0.015], [-0.008, -0.187], [-0.024, -0.001], [0.012, -0.002]],
    np.float32,
)
#: Photos are searched for faces at this size at most (larger ones are scaled down for the
#: search only; the points are predicted at full resolution).
MAX_SEARCH_SIDE = 1024
#: Images with a side shorter than this (pixels) hold no face the detectors can find (HOG's
#: smallest face is about 40 px upsampled once); dlib's CNN crashes on images under 12 px
#: (and corrupts memory at 9 px), so they are reported as "no face" without running it.
MIN_SEARCH_SIDE = 20
INSTALL_HINT = (
    'the landmark detector needs dlib-bin and face-recognition-models: '
    'pip install -c requirements/constraints.txt -e ".[landmarks]"'
)


class NoFaceError(ValueError):
    """No face was found in an image; the message names it."""


#: Which faces :meth:`FaceLandmarkDetector.detect_all` returns.
SELECTIONS = ('all', 'largest', 'central')


@dataclass
class FaceLandmarks:
    """One detection of a face and its 5 key points.

    ``points`` ``(5, 2)`` float32 (x, y), ``box`` ``(x0, y0, x1, y1)`` of the face used,
    ``num_faces`` found in the image, ``detector`` (``'hog'`` or ``'cnn'``) and its ``score`` (HOG:
    SVM margin; CNN: confidence).
    """

    points: np.ndarray
    box: Tuple[int, int, int, int]
    num_faces: int
    detector: str
    score: float = 0.0


def _import_dlib():
    try:
        with warnings.catch_warnings():  # face_recognition_models uses pkg_resources
            warnings.simplefilter('ignore')
            import dlib
            import face_recognition_models
    except ImportError as err:
        raise ImportError(f'{INSTALL_HINT} ({err})') from None
    return dlib, face_recognition_models


def five_from_68(points68: np.ndarray) -> np.ndarray:
    """``(68, 2)`` iBUG points -> ``(5, 2)``: eye centres, nose tip, mouth corners.

    Each pair is ordered by x in the image, as the Helen converter orders its points.
    """
    eyes = sorted([points68[36:42].mean(0), points68[42:48].mean(0)], key=lambda p: p[0])
    mouth = sorted([points68[48], points68[54]], key=lambda p: p[0])
    return np.stack([eyes[0], eyes[1], points68[30], mouth[0], mouth[1]]).astype(np.float32)


def to_helen_convention(points: np.ndarray, offsets: np.ndarray = HELEN_OFFSETS) -> np.ndarray:
    """Remove each point's mean offset (``HELEN_OFFSETS``) in the face's own frame."""
    u = points[1] - points[0]
    iod = float(np.linalg.norm(u))
    if iod < 1e-6:
        return points
    u = u / iod
    v = np.array([-u[1], u[0]], np.float32)  # perpendicular, down the face
    return (points - iod * (offsets[:, :1] * u + offsets[:, 1:] * v)).astype(np.float32)


class FaceLandmarkDetector:
    """Detect the faces of a photo (all, the largest or the central one) and their 5 points.

    Args:
        upsample (int): HOG detector upsampling (1 finds faces down to about 40 px).
        cnn_fallback (bool): try dlib's CNN face detector when HOG finds nothing (slower, but
            finds turned and dark faces): first without upsampling (0.4 s per 270x300 px photo
            on 2 cores), then, if it finds nothing, at ``upsample`` (1.7 s).
        helen_convention (bool): apply ``HELEN_OFFSETS``. Default: True.
    """

    def __init__(self, upsample: int = 1, cnn_fallback: bool = True, helen_convention: bool = True):
        dlib, models = _import_dlib()
        self._dlib = dlib
        self._hog = dlib.get_frontal_face_detector()
        self._cnn_path = models.cnn_face_detector_model_location()
        self._cnn = None
        self._shape = dlib.shape_predictor(models.pose_predictor_model_location())
        self.upsample = upsample
        self.cnn_fallback = cnn_fallback
        self.helen_convention = helen_convention

    def _boxes(
        self, rgb: np.ndarray, use_cnn: bool, upsample: Optional[int] = None
    ) -> List[Tuple[Tuple[int, ...], float]]:
        """``[(box (x0, y0, x1, y1), detector score)]`` at full resolution."""
        upsample = self.upsample if upsample is None else upsample
        scale = min(1.0, MAX_SEARCH_SIDE / max(rgb.shape[:2]))
        small = (
            rgb
            if scale == 1.0
            else cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        )
        if use_cnn:
            if self._cnn is None:
                self._cnn = self._dlib.cnn_face_detection_model_v1(self._cnn_path)
            found = [(d.rect, float(d.confidence)) for d in self._cnn(small, upsample)]
        else:
            rects, scores, _ = self._hog.run(small, upsample, 0.0)
            found = list(zip(rects, (float(s) for s in scores)))
        return [
            (tuple(int(round(c / scale)) for c in (r.left(), r.top(), r.right(), r.bottom())), sc)
            for r, sc in found
        ]

    def detect_all(
        self,
        img: np.ndarray,
        name: str = '<image>',
        select: str = 'all',
        max_faces: Optional[int] = None,
        min_size: int = 0,
    ) -> List[FaceLandmarks]:
        """Landmarks of the faces in ``img`` (``(H, W, 3)`` uint8 BGR, as cv2 reads).

        Args:
            img (np.ndarray): ``(H, W, 3)`` uint8 BGR image.
            name (str): the image's name, for messages.
            select (str): ``'all'`` (largest first), ``'largest'`` or ``'central'`` (the face
                whose box centre is nearest the image centre: the convention of data sets cut
                around one face, as Helen is). See :data:`SELECTIONS`.
            max_faces (int, optional): keep at most this many (the largest).
            min_size (int): ignore faces whose box is smaller (its shorter side, pixels).

        Raises:
            NoFaceError: no face (of at least ``min_size``) found; the message names ``name``.

        The documented pair: detect, then parse every face found.

        >>> import cv2
        >>> from matplotlib.cbook import get_sample_data
        >>> from rednet_mmseg.apis import FaceParsingInferencer
        >>> path = get_sample_data('grace_hopper.jpg', asfileobj=False)
        >>> faces = FaceLandmarkDetector().detect_all(cv2.imread(path))
        >>> labels, instances, faces = FaceParsingInferencer().parse_faces(path, faces)
        >>> labels.shape, len(faces), int(instances.max())
        ((600, 512), 1, 1)
        """
        if select not in SELECTIONS:
            raise ValueError(f'select must be one of {SELECTIONS}, got {select!r}')
        if img is None or img.ndim != 3 or img.dtype != np.uint8:
            raise ValueError(f'{name}: expected an (H, W, 3) uint8 BGR image')
        if min(img.shape[:2]) < MIN_SEARCH_SIDE:
            h, w = img.shape[:2]
            raise NoFaceError(f'{name}: no face found ({w}x{h} px is too small to hold one)')
        rgb = np.ascontiguousarray(img[..., ::-1])
        detector, boxes = 'hog', self._boxes(rgb, use_cnn=False)
        if not boxes and self.cnn_fallback:
            # the CNN first without upsampling (faces from about 80 px: 0.40 s per photo
            # instead of 1.71 s on the dev photos where HOG finds none, all 19 found), then
            # at the requested upsampling only if that finds nothing
            detector, boxes = 'cnn', self._boxes(rgb, use_cnn=True, upsample=0)
            if not boxes and self.upsample > 0:
                boxes = self._boxes(rgb, use_cnn=True)
        boxes = [b for b in boxes if min(b[0][2] - b[0][0], b[0][3] - b[0][1]) >= min_size]
        if not boxes:
            small = f' of at least {min_size} px' if min_size else ''
            raise NoFaceError(f'{name}: no face{small} found')
        boxes.sort(key=lambda b: -(b[0][2] - b[0][0]) * (b[0][3] - b[0][1]))
        total = len(boxes)
        if select == 'largest':
            boxes = boxes[:1]
        elif select == 'central':
            cx, cy = img.shape[1] / 2, img.shape[0] / 2
            boxes = [
                min(
                    boxes,
                    key=lambda b: (
                        ((b[0][0] + b[0][2]) / 2 - cx) ** 2 + ((b[0][1] + b[0][3]) / 2 - cy) ** 2
                    ),
                )
            ]
        elif max_faces is not None:
            boxes = boxes[:max_faces]
        faces = []
        for box, score in boxes:
            shape = self._shape(rgb, self._dlib.rectangle(*box))
            points = five_from_68(np.array([[p.x, p.y] for p in shape.parts()], np.float32))
            if self.helen_convention:
                points = to_helen_convention(points)
            faces.append(FaceLandmarks(points, box, total, detector, score))
        return faces

    def detect(
        self, img: np.ndarray, name: str = '<image>', select: str = 'largest'
    ) -> FaceLandmarks:
        """Landmarks of one face in ``img``: the largest (default) or the ``'central'`` one.

        ``num_faces`` tells how many faces were found.

        Raises:
            NoFaceError: no face found (the message names ``name``).
        """
        if select == 'all':
            raise ValueError("detect() returns one face; use detect_all() for select='all'")
        return self.detect_all(img, name, select)[0]

    def detect_file(self, path: str, select: str = 'largest') -> FaceLandmarks:
        """Landmarks of one face in the image file ``path`` (the error names the file)."""
        from .image_inputs import read_image

        img = read_image(path)
        found = self.detect(img, name=path, select=select)
        check_points_in_image(found.points, img.shape, path)
        return found


def _detect_images(paths, detector, may_skip, progress, select, max_faces=None, min_size=0):
    """``(path -> [FaceLandmarks], skipped paths, notes)``: the one loop behind the functions below.

    A path in ``may_skip`` without a face is skipped; any other raises NoFaceError.
    """
    from tqdm import tqdm

    detector = detector or FaceLandmarkDetector()
    may_skip = set(may_skip)
    found, skipped, notes = {}, [], []
    from .image_inputs import read_image

    for path in tqdm(paths, desc='faces', unit='img', disable=not progress):
        img = read_image(path)
        try:
            faces = detector.detect_all(img, path, select, max_faces, min_size)
        except NoFaceError:
            if path not in may_skip:
                raise
            skipped.append(path)
            continue
        for f in faces:
            check_points_in_image(f.points, img.shape, path)
        if select != 'all' and faces[0].num_faces > 1:
            b = faces[0].box
            notes.append(
                f'{path}: {faces[0].num_faces} faces, using the {select} '
                f'({b[0]},{b[1]} - {b[2]},{b[3]})'
            )
        found[path] = faces
    return found, skipped, notes


def detect_landmark_table(
    paths: Sequence[str],
    *,
    detector: Optional[FaceLandmarkDetector] = None,
    may_skip: Sequence[str] = (),
    progress: bool = True,
    select: str = 'largest',
) -> Tuple[Dict[str, np.ndarray], List[str], List[str]]:
    """Detect the 5 points of one face of every image.

    Args:
        paths: image files.
        detector: the detector to use (default: a new :class:`FaceLandmarkDetector`).
        may_skip: paths that are skipped when no face is found in them, e.g. the members of a
            folder; a path not listed stops with :class:`NoFaceError`.
        progress: show a progress bar.
        select: ``'largest'`` or ``'central'`` (see :meth:`FaceLandmarkDetector.detect_all`).

    Returns:
        ``(table, skipped, notes)``: image name (file name without extension) -> ``(5, 2)``
        points, the paths without a face, and one note per image with several faces (the tools
        print them: ``tool_args.report_detection``).
    """
    found, skipped, notes = _detect_images(paths, detector, may_skip, progress, select)
    table = {osp.splitext(osp.basename(p))[0]: faces[0].points for p, faces in found.items()}
    return table, skipped, notes


def detect_faces(
    paths: Sequence[str],
    *,
    detector: Optional[FaceLandmarkDetector] = None,
    may_skip: Sequence[str] = (),
    progress: bool = True,
    select: str = 'all',
    max_faces: Optional[int] = None,
    min_size: int = 0,
) -> Tuple[Dict[str, list], List[str], List[str]]:
    """Every image's faces (``multi_face.Face``: points, box, score).

    Arguments as :func:`detect_landmark_table`; ``select`` / ``max_faces`` / ``min_size`` as in
    :meth:`FaceLandmarkDetector.detect_all`.

    Returns:
        ``(path -> faces, skipped paths, notes)``.
    """
    from .multi_face import as_faces

    found, skipped, notes = _detect_images(
        paths, detector, may_skip, progress, select, max_faces, min_size
    )
    return {p: as_faces(faces) for p, faces in found.items()}, skipped, notes
