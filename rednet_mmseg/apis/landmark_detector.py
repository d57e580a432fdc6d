"""Five face landmarks for photos that come without them, in the Helen converter's convention.

Face boxes from dlib's HOG detector (its CNN detector, ``mmod_human_face_detector``, when HOG
finds nothing), points from the 68-point shape predictor; weights from the registry package
``face-recognition-models``, nothing downloaded. Five points as the converters write them
(``HELEN_5POINT_DOC``): left and right eye centres (means of 68-point eyes 36-41 / 42-47),
nose tip (30), left and right mouth corners (48 / 54), image-left first, then moved by
``HELEN_OFFSETS`` onto the converter's definition of each point.

Measured on the 298 real photos of the Helen-layout dev set (``docs/en/inference.md``). The
68-to-5 conversion is in :mod:`~rednet_mmseg.apis.five_points`; detection over files (the
tools' loop) in :mod:`~rednet_mmseg.apis.detect_files`.
"""

import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple, Union

import cv2
import numpy as np

from ..datasets.landmark_table import check_points_in_image
from .five_points import five_from_68, to_helen_convention

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

#: HOG upsamplings: ``'auto'`` searches the photo as it is and upsamples once only where that
#: finds no face (:class:`FaceLandmarkDetector`); 0, 1, 2 always search at that upsampling.
UPSAMPLES = ('auto', 0, 1, 2)


def check_upsample(upsample) -> Union[str, int]:
    """``upsample`` if it is one of :data:`UPSAMPLES`, else a ``ValueError`` naming them."""
    integer = isinstance(upsample, (int, np.integer)) and not isinstance(upsample, bool)
    if upsample != 'auto' and not (integer and upsample in UPSAMPLES):  # 1.0: dlib's TypeError
        raise ValueError(f'upsample must be one of {UPSAMPLES}, got {upsample!r}')
    return upsample


@dataclass
class FaceLandmarks:
    """One detection of a face and its 5 key points.

    ``points`` ``(5, 2)`` float32 (x, y), ``box`` ``(x0, y0, x1, y1)`` of the face used,
    ``num_faces`` found in the image, ``detector`` (``'hog'`` or ``'cnn'``) and its ``score`` (HOG:
    SVM margin; CNN: confidence). ``points68``: the shape predictor's own ``(68, 2)`` iBUG points
    (no offsets), for the dense prior.
    """

    points: np.ndarray
    box: Tuple[int, int, int, int]
    num_faces: int
    detector: str
    score: float = 0.0
    points68: Optional[np.ndarray] = None


def _import_dlib():
    try:
        with warnings.catch_warnings():  # face_recognition_models uses pkg_resources
            warnings.simplefilter('ignore')
            import dlib
            import face_recognition_models
    except ImportError as err:
        raise ImportError(f'{INSTALL_HINT} ({err})') from None
    return dlib, face_recognition_models


class _Lender:
    """Lends each concurrent caller its own instance of a detector that is not thread-safe.

    dlib's HOG and CNN detectors keep the image being searched inside the object, so two
    threads must not share one; loading one takes time (HOG 0.66 s on 2 cores), so instances
    are kept and lent again: at most as many exist as calls ever ran at once.
    """

    def __init__(self, load: Callable, first=None):
        self._load = load
        self._free = [] if first is None else [first]
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self):
        with self._lock:
            item = self._free.pop() if self._free else None
        if item is None:
            item = self._load()
        try:
            yield item
        finally:
            with self._lock:
                self._free.append(item)


class FaceLandmarkDetector:
    """Detect the faces of a photo (all, the largest or the central one) and their 5 points.

    Args:
        upsample (str | int): HOG detector upsampling. ``'auto'`` (default): search the photo
            as it is (faces from about 80 px at the search resolution), and upsampled once
            (faces from about 40 px) only if that finds no face; on the 298 dev photos it finds
            9 faces (and 2 false ones) more and 1 small face (36 px) less than always
            upsampling, at 0.44x the detection time (docs/en/inference.md). A face of 40-80
            px beside a larger one is found only by ``1``, which always upsamples once (the
            default up to 0.13.0); ``0`` never upsamples; ``2`` upsamples twice (faces from
            about 20 px).
        cnn_fallback (bool): try dlib's CNN face detector when HOG finds nothing (slower, but
            finds turned and dark faces): first without upsampling (0.4 s per 270x300 px photo
            on 2 cores), then, if it finds nothing, at ``upsample`` (1 for ``'auto'``; 1.7 s).
        helen_convention (bool): apply ``HELEN_OFFSETS``. Default: True.

    Thread-safe: concurrent calls (``rednet_mmseg.apis.workers``) each search with their own
    HOG / CNN detector (created when first needed, then kept), while the shape predictor, which
    dlib runs without changing it, is shared.
    """

    def __init__(
        self,
        upsample: Union[str, int] = 'auto',
        cnn_fallback: bool = True,
        helen_convention: bool = True,
    ):
        self.upsample = check_upsample(upsample)
        dlib, models = _import_dlib()
        self._dlib = dlib
        self._hog = _Lender(dlib.get_frontal_face_detector, dlib.get_frontal_face_detector())
        cnn_path = models.cnn_face_detector_model_location()
        self._cnn = _Lender(lambda: dlib.cnn_face_detection_model_v1(cnn_path))
        self._shape = dlib.shape_predictor(models.pose_predictor_model_location())
        self.cnn_fallback = cnn_fallback
        self.helen_convention = helen_convention

    def _boxes(
        self, rgb: np.ndarray, use_cnn: bool, upsample: int
    ) -> List[Tuple[Tuple[int, ...], float]]:
        """``[(box (x0, y0, x1, y1), detector score)]`` at full resolution."""
        scale = min(1.0, MAX_SEARCH_SIDE / max(rgb.shape[:2]))
        small = (
            rgb
            if scale == 1.0
            else cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        )
        if use_cnn:
            with self._cnn.borrow() as cnn:
                found = [(d.rect, float(d.confidence)) for d in cnn(small, upsample)]
        else:
            with self._hog.borrow() as hog:
                rects, scores, _ = hog.run(small, upsample, 0.0)
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
        upsample: Optional[Union[str, int]] = None,
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
            upsample (str | int, optional): this search's upsampling (:data:`UPSAMPLES`)
                instead of the detector's (the video tracker re-finds large faces without it:
                ``FaceTracker``).

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
        upsample = self.upsample if upsample is None else check_upsample(upsample)
        most = 1 if upsample == 'auto' else upsample
        first = 0 if upsample == 'auto' else upsample
        detector, boxes = 'hog', self._boxes(rgb, use_cnn=False, upsample=first)
        if not boxes and first != most:  # 'auto': upsampled only where the photo gave none
            boxes = self._boxes(rgb, use_cnn=False, upsample=most)
        if not boxes and self.cnn_fallback:
            # the CNN first without upsampling (faces from about 80 px: 0.40 s per photo
            # instead of 1.71 s on the dev photos where HOG finds none, all 19 found), then
            # at the requested upsampling only if that finds nothing
            detector, boxes = 'cnn', self._boxes(rgb, use_cnn=True, upsample=0)
            if not boxes and most > 0:
                boxes = self._boxes(rgb, use_cnn=True, upsample=most)
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
            points68 = np.array([[p.x, p.y] for p in shape.parts()], np.float32)
            points = five_from_68(points68)
            if self.helen_convention:
                points = to_helen_convention(points)
            faces.append(FaceLandmarks(points, box, total, detector, score, points68))
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
