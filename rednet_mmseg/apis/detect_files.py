"""Face detection over image files: the loop behind the tools' landmark tables and face lists.

Library code: it returns what it found, skipped and noticed; the tools print it
(``tool_args.report_detection``).
"""

import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..datasets.landmark_table import check_points_in_image
from .landmark_detector import FaceLandmarkDetector, NoFaceError


def _detect_images(
    paths, detector, may_skip, progress, select, max_faces=None, min_size=0, workers=1
):
    """``(path -> [FaceLandmarks], skipped paths, notes)``: the one loop behind the functions below.

    A path in ``may_skip`` without a face is skipped; any other raises NoFaceError. ``workers``
    images are searched at once (:func:`~rednet_mmseg.apis.workers.ordered_map`; the same
    faces in the same order as one at a time).
    """
    from tqdm import tqdm

    from .image_inputs import read_image
    from .workers import ordered_map

    detector = detector or FaceLandmarkDetector()
    may_skip = set(may_skip)
    found, skipped, notes = {}, [], []

    def detect(item):
        path, img = item
        try:
            faces = detector.detect_all(img, path, select, max_faces, min_size)
        except NoFaceError as err:
            if path not in may_skip:
                raise
            return err
        for f in faces:
            check_points_in_image(f.points, img.shape, path)
        return faces

    # images decoded in this thread, in order (the decoder's warnings name the right file)
    results = ordered_map(detect, ((p, read_image(p)) for p in paths), workers)
    for path, faces in tqdm(
        zip(paths, results), total=len(paths), desc='faces', unit='img', disable=not progress
    ):
        if isinstance(faces, NoFaceError):
            skipped.append(path)
            continue
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
    points: int = 5,
    workers: int = 1,
) -> Tuple[Dict[str, np.ndarray], List[str], List[str]]:
    """Detect the 5 points (or the 68 iBUG points) of one face of every image.

    Args:
        paths: image files.
        detector: the detector to use (default: a new :class:`FaceLandmarkDetector`).
        may_skip: paths that are skipped when no face is found in them, e.g. the members of a
            folder; a path not listed stops with :class:`NoFaceError`.
        progress: show a progress bar.
        select: ``'largest'`` or ``'central'`` (see :meth:`FaceLandmarkDetector.detect_all`).
        points: 5 (the key points) or 68 (the shape predictor's own points, for the dense
            prior).
        workers: images searched at once (threads; the same result as one at a time).

    Returns:
        ``(table, skipped, notes)``: image name (file name without extension) -> ``(5, 2)``
        (or ``(68, 2)``) points, the paths without a face, and one note per image with several
        faces (the tools print them: ``tool_args.report_detection``).
    """
    if points not in (5, 68):
        raise ValueError(f'points must be 5 or 68, got {points}')
    found, skipped, notes = _detect_images(
        paths, detector, may_skip, progress, select, workers=workers
    )
    table = {
        osp.splitext(osp.basename(p))[0]: faces[0].points if points == 5 else faces[0].points68
        for p, faces in found.items()
    }
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
    workers: int = 1,
) -> Tuple[Dict[str, list], List[str], List[str]]:
    """Every image's faces (``multi_face.Face``: points, box, score).

    Arguments as :func:`detect_landmark_table`; ``select`` / ``max_faces`` / ``min_size`` as in
    :meth:`FaceLandmarkDetector.detect_all`.

    Returns:
        ``(path -> faces, skipped paths, notes)``.
    """
    from .multi_face import as_faces

    found, skipped, notes = _detect_images(
        paths, detector, may_skip, progress, select, max_faces, min_size, workers
    )
    return {p: as_faces(faces) for p, faces in found.items()}, skipped, notes
