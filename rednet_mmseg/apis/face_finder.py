"""The faces to parse in an image: from given key points, else detected.

One job of the parsing path (``FaceParsingInferencer.parse_image``): a landmark table or dict
(image name -> 5 points) gives one face per image; otherwise the detector finds the faces that
``select`` / ``max_faces`` / ``min_face_size`` ask for.
"""

from typing import Dict, List, Optional

import numpy as np

from ..datasets.landmark_table import check_points_in_image, image_key, read_landmark_table
from .multi_face import Face, as_faces


class FaceFinder:
    """Find the faces of an image (module docstring).

    Args:
        landmarks (dict, optional): image name (with or without extension) -> ``(5, 2)``.
        landmarks_file (str, optional): a landmark table, read on first use.
        select (str): ``'all'`` detected faces, the ``'largest'`` or the ``'central'`` one.
        max_faces (int, optional): at most this many (the largest).
        min_face_size (int): ignore detected faces smaller than this (px).
        detector (FaceLandmarkDetector, optional): default: created on first use.
    """

    def __init__(
        self,
        landmarks: Optional[Dict[str, np.ndarray]] = None,
        landmarks_file: Optional[str] = None,
        select: str = 'all',
        max_faces: Optional[int] = None,
        min_face_size: int = 0,
        detector=None,
    ):
        self.landmarks_file = landmarks_file
        self.select, self.max_faces, self.min_face_size = select, max_faces, min_face_size
        self._detector = detector
        self.table = None
        self.set_landmarks(landmarks)

    def set_landmarks(self, landmarks: Optional[Dict[str, np.ndarray]]) -> None:
        """Use these points (image name -> ``(5, 2)``); ``None``: the file, else detection."""
        self.table = (
            None
            if landmarks is None
            else {image_key(k): np.asarray(v, np.float32) for k, v in landmarks.items()}
        )

    @property
    def given(self) -> Optional[Dict[str, np.ndarray]]:
        """The given points by image key (the table read on first use), or None."""
        if self.table is None and self.landmarks_file:  # read once, not per image
            self.set_landmarks(read_landmark_table(self.landmarks_file))
        return self.table

    @property
    def detector(self):
        """The face detector (created on first use: loading dlib's models takes a second)."""
        if self._detector is None:
            from .landmark_detector import FaceLandmarkDetector

            self._detector = FaceLandmarkDetector()
        return self._detector

    def find(self, img: np.ndarray, name: str = '<image>') -> List[Face]:
        """The faces to parse in ``img`` (``(H, W, 3)``): given points, else detected.

        Raises:
            NoFaceError: no face found (the message names ``name``). ValueError: points
                outside the image, or ``name`` missing from the given landmarks.
        """
        table = self.given
        if table is not None:
            key = image_key(name)
            if key not in table:
                raise ValueError(f'{name}: no landmarks for this image in the given table')
            check_points_in_image(
                table[key], img.shape, self.landmarks_file or 'landmarks', image=name
            )
            return [Face(np.asarray(table[key], np.float32))]
        found = self.detector.detect_all(img, name, self.select, self.max_faces, self.min_face_size)
        for f in found:
            check_points_in_image(f.points, img.shape, name)
        return as_faces(found)
