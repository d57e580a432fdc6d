"""Every face of a photo: one prediction per face, composited into one full-size label map.

Each face is parsed in its own crop: a square around the centre of its 5 key points, half as
wide as ``context`` times their extent (the context the recipe's network saw in training, where
the face box is 15-22 % of a 256 px canvas), with its own geometry and prior. The crop's label
map is pasted back into the photo. Where crops overlap, a pixel takes the label of the face
whose key-point centre is nearest in units of that face's size (so a small face in front of a
large one keeps its own pixels near its centre); pixels outside every crop are background.

``instances`` numbers the faces ``1..n`` (in detection order, largest first) on the pixels
whose label comes from that face and is not background.
"""

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import numpy as np

#: Half-size of a face's crop in units of its key points' extent: the crop is 5 extents wide,
#: so the face box is 20 % of it, as on the recipe's training canvas (15-22 %). On the dev set's
#: tuning photos 2.0, 2.5 and 3.0 score alike (73.1 / 73.0 / 73.0 overall F1, converter
#: landmarks); 2.5 has 31 % fewer pixels than 3.0.
CONTEXT = 2.5


#: Face crops larger than this (pixels, the longer side) are parsed scaled down to it and their
#: labels scaled back: the network sees a 128-224 px face either way, and a face of a 50 MP
#: photo needs no tensor at the photo's resolution.
MAX_CROP_SIDE = 1024


#: Where the 5 key points of an aligned face crop lie, as fractions of the image's width and
#: height (left eye, right eye, nose tip, left and right mouth corner; Helen's convention, where
#: the nose point is the bottom of the nose): a face-centred crop whose eyes sit at 46 % of
#: the height, a quarter of the width apart, as in CelebAMask-HQ's and LaPa's crops. The
#: points' box is then 25 % of the width and 30 % of the height.
ALIGNED_TEMPLATE = np.array(
    [[0.375, 0.46], [0.625, 0.46], [0.5, 0.66], [0.40, 0.76], [0.60, 0.76]], np.float32
)


#: The 5 key points in order, as tables, JSON records and the detector give them: sides are
#: the image's (the "left eye" point is on the image's left, i.e. the subject's right eye),
#: while the label classes ``left_eye`` / ``left_brow`` are the subject's.
POINT_NAMES = (
    'eye centre, image left',
    'eye centre, image right',
    'nose tip',
    'mouth corner, image left',
    'mouth corner, image right',
)


@dataclass
class Face:
    """One face to parse: its key points and, when detected, its box and score.

    ``points`` ``(5, 2)`` in image pixels, the detector's ``box`` ``(x0, y0, x1, y1)`` and
    ``score``; ``points68``, the detector's 68 iBUG points, for models with the dense prior.
    """

    points: np.ndarray
    box: Optional[Tuple[int, int, int, int]] = None
    score: Optional[float] = None
    crop: Tuple[int, int, int, int] = field(default=(0, 0, 0, 0))
    points68: Optional[np.ndarray] = None

    @property
    def all_points(self) -> np.ndarray:
        """``(5, 2)`` key points, or ``(73, 2)``: the 5, then the 68 when the face has them."""
        if self.points68 is None:
            return self.points
        return np.concatenate([self.points, np.asarray(self.points68, np.float32)])

    def record(self) -> dict:
        """The JSON record of the face (box, 5 points and their names, score, crop used)."""
        return dict(
            box=None if self.box is None else [int(v) for v in self.box],
            points=[[round(float(x), 2), round(float(y), 2)] for x, y in self.points],
            point_names=list(POINT_NAMES),
            score=None if self.score is None else round(float(self.score), 4),
            crop=[int(v) for v in self.crop],
        )


def face_geometry(points: np.ndarray) -> Tuple[np.ndarray, float]:
    """``(centre (2,), size)`` of a face from its key points.

    The centre of the key points and their larger extent (at least the eye distance).
    """
    pts = np.asarray(points, np.float64)
    extent = pts.max(0) - pts.min(0)
    size = max(float(extent.max()), float(np.linalg.norm(pts[1] - pts[0])), 1.0)
    return pts.mean(0), size


def crop_box(points: np.ndarray, image_shape, context: float = CONTEXT) -> Tuple[int, ...]:
    """``(x0, y0, x1, y1)`` of the face's crop, clipped to the image."""
    if not context > 0:
        raise ValueError(f'the crop context must be a positive number, got {context}')
    (cx, cy), size = face_geometry(points)
    half = context * size
    h, w = image_shape[:2]
    x0, y0 = max(0, int(np.floor(cx - half))), max(0, int(np.floor(cy - half)))
    x1, y1 = min(w, int(np.ceil(cx + half))), min(h, int(np.ceil(cy + half)))
    if x1 <= x0 or y1 <= y0:
        raise ValueError(f'the face at ({cx:.0f}, {cy:.0f}) lies outside the {w}x{h} image')
    return x0, y0, x1, y1


def _distance(face: Face, box) -> np.ndarray:
    """``(y1 - y0, x1 - x0)`` distance of ``box``'s pixels to the face's centre, in face sizes."""
    x0, y0, x1, y1 = box
    (cx, cy), size = face_geometry(face.points)
    xs, ys = np.arange(x0, x1) - cx, np.arange(y0, y1) - cy
    return np.hypot(ys[:, None], xs[None, :]) / size


def composite(
    image_shape, faces: Sequence[Face], crops_labels: Sequence[np.ndarray]
) -> Tuple[np.ndarray, np.ndarray]:
    """Paste each face's crop labels into ``(H, W)`` ``labels`` and ``instances`` (uint8).

    Memory beyond the two outputs is of the crops' size, never the photo's.
    """
    h, w = image_shape[:2]
    labels = np.zeros((h, w), np.uint8)
    instances = np.zeros((h, w), np.uint8)
    for i, (face, crop_labels) in enumerate(zip(faces, crops_labels)):
        x0, y0, x1, y1 = face.crop
        number = np.uint8(min(i + 1, 255))
        win = None  # all of the crop, unless another face's crop overlaps it
        for j, other in enumerate(faces):  # a pixel goes to the nearest face (earlier on ties)
            if j == i:
                continue
            ox0, oy0, ox1, oy1 = other.crop
            bx0, by0, bx1, by1 = max(x0, ox0), max(y0, oy0), min(x1, ox1), min(y1, oy1)
            if bx1 <= bx0 or by1 <= by0:
                continue
            theirs = _distance(other, (bx0, by0, bx1, by1))
            mine = _distance(face, (bx0, by0, bx1, by1))
            lost = theirs <= mine if j < i else theirs < mine
            if win is None:
                win = np.ones((y1 - y0, x1 - x0), bool)
            win[by0 - y0 : by1 - y0, bx0 - x0 : bx1 - x0] &= ~lost
        if win is None:
            labels[y0:y1, x0:x1] = crop_labels
            instances[y0:y1, x0:x1] = np.where(crop_labels > 0, number, np.uint8(0))
        else:
            labels[y0:y1, x0:x1][win] = crop_labels[win]
            instances[y0:y1, x0:x1][win] = np.where(crop_labels[win] > 0, number, np.uint8(0))
    return labels, instances


def as_faces(faces) -> List[Face]:
    """:class:`Face` objects from ``Face``, the detector's ``FaceLandmarks`` or ``(5, 2)`` points.

    >>> from rednet_mmseg.apis.landmark_detector import FaceLandmarks
    >>> pts = np.zeros((5, 2), np.float32)
    >>> [type(f).__name__ for f in as_faces([pts, FaceLandmarks(pts, (0, 0, 9, 9), 1, 'hog', 1.5)])]
    ['Face', 'Face']
    """
    out = []
    for f in faces:
        if isinstance(f, Face):
            out.append(f)
        elif hasattr(f, 'points'):  # FaceLandmarks of FaceLandmarkDetector.detect_all
            points68 = getattr(f, 'points68', None)
            out.append(
                Face(
                    np.asarray(f.points, np.float32),
                    f.box,
                    getattr(f, 'score', None),
                    points68=None if points68 is None else np.asarray(points68, np.float32),
                )
            )
        else:
            out.append(Face(np.asarray(f, np.float32).reshape(5, 2)))
    return out


def check_face_options(select='all', max_faces=None, min_face_size=0, context=CONTEXT) -> None:
    """Raise ``ValueError`` for a face option out of range (the tools check at parse time)."""
    from .landmark_detector import SELECTIONS

    if select not in SELECTIONS:
        raise ValueError(f'select must be one of {SELECTIONS}, got {select!r}')
    if max_faces is not None and not (isinstance(max_faces, int) and max_faces >= 1):
        raise ValueError(f'max_faces must be a whole number >= 1, got {max_faces!r}')
    if not (isinstance(min_face_size, int) and min_face_size >= 0):
        raise ValueError(f'min_face_size must be a whole number >= 0, got {min_face_size!r}')
    if not context > 0:
        raise ValueError(f'the crop context must be a positive number, got {context}')


def aligned_face(image_shape, template: Optional[np.ndarray] = None) -> Face:
    """The one face of an aligned crop: the whole image, no detector.

    Its key points lie at ``template`` (``(5, 2)`` fractions of width and height, default
    :data:`ALIGNED_TEMPLATE`).
    """
    t = ALIGNED_TEMPLATE if template is None else np.asarray(template, np.float32).reshape(5, 2)
    h, w = image_shape[:2]
    return Face(t * np.array([w, h], np.float32))


def parse_crop(
    crop_parser, crop: np.ndarray, points: np.ndarray, flip: bool, refine: str = 'none'
) -> np.ndarray:
    """``(h, w)`` uint8 labels of one face crop (``(h, w, 3)`` BGR, its ``(5 or 73, 2)`` points).

    ``crop_parser`` is a :class:`~rednet_mmseg.apis.crop_parser.CropParser` or a
    :class:`~rednet_mmseg.apis.pipeline_crop_parser.PipelineCropParser`. A crop larger than
    :data:`MAX_CROP_SIDE` (a face of a large phone photo) is parsed scaled down to it and its
    labels scaled back (nearest): the network sees a 128-224 px face either way, and no tensor
    of the photo's resolution is made (memory stays bounded). ``refine='guided'``: the crop's
    class probabilities go through the guided filter (:mod:`~rednet_mmseg.apis.guided_refine`)
    before the argmax; ``'none'``: the argmax of the parser's own.
    """
    import cv2

    h, w = crop.shape[:2]
    scale = min(1.0, MAX_CROP_SIDE / max(h, w))
    points = np.asarray(points, np.float32)
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
        points = points * np.array([size[0] / w, size[1] / h], np.float32)
    labels = crop_parser(np.ascontiguousarray(crop), points, flip, refine)
    if scale < 1.0:
        labels = cv2.resize(labels, (w, h), interpolation=cv2.INTER_NEAREST)
    return labels


def parse_faces(
    img: np.ndarray,
    faces,
    crop_parser,
    context: float = CONTEXT,
    flip: bool = True,
    refine: str = 'none',
) -> Tuple[np.ndarray, np.ndarray, List[Face]]:
    """Parse every face of one photo in its own crop and composite them (module docstring).

    Args:
        img (np.ndarray): the photo, ``(H, W, 3)`` uint8 BGR.
        faces (list): :class:`Face`, the detector's ``FaceLandmarks`` or ``(5, 2)`` points.
        crop_parser (Callable): ``(crop, points, flip, refine) -> (h, w)`` uint8 labels (see
            :func:`parse_crop`).
        context (float): crop half-size in units of the key points' extent.
        flip (bool): average each face with its mirror face.
        refine (str): ``'guided'`` or ``'none'`` (:func:`parse_crop`).

    Returns:
        ``(labels, instances, faces)``: ``(H, W)`` uint8 class indices, ``(H, W)`` uint8 face
        numbers (0 = none), and the faces with their crops set.
    """
    faces = as_faces(faces)
    crops = []
    for face in faces:
        face.crop = x0, y0, x1, y1 = crop_box(face.points, img.shape, context)
        offset = np.array([x0, y0], np.float32)
        points = face.all_points - offset
        crops.append(parse_crop(crop_parser, img[y0:y1, x0:x1], points, flip, refine))
    labels, instances = composite(img.shape, faces, crops)
    return labels, instances, faces
