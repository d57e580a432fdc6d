"""Faces through a video: detection every k frames, optical-flow tracking between, smoothing.

Used by ``tools/parse_video.py``. Each track keeps its face's 5 key points. On a detection
frame the detected faces are matched to the tracks (nearest key-point centre within one face
size); between detections every track's points are moved by pyramidal Lucas-Kanade optical
flow (OpenCV). The points handed to the parser are smoothed over time by an exponential
moving average, ``s_t = a * s_(t-1) + (1 - a) * p_t`` (``smooth=a``; 0 = off), which holds still
while the measured points stay within a dead band (``DEAD_BAND`` of the face size), so that the
crop geometry and the prior do not jitter from frame to frame and the masks do not flicker.

Re-detection at the working resolution: while every tracked face is large (its box at least
:data:`LARGE_FACE` px at the detector's search resolution: twice the smallest face dlib's HOG
finds without upsampling), the detection frames search without upsampling (about a quarter of
the cost on a 640x480 frame); every :data:`FULL_SEARCH_EVERY`-th detection frame, and any
frame without tracks, searches with the detector's own upsampling (upsampled once where that
is ``'auto'``, which would stop at the large face), so that small faces that enter are still
found.

For a model with the dense prior (``dense=True``) each track carries the detector's 68 points
after its 5 key points, moved by the same optical flow and smoothed alike; which face a
detection belongs to and the dead band are decided on the 5 key points, as without them.
"""

from typing import List, Optional

import cv2
import numpy as np

from .multi_face import Face, face_geometry

#: Tracked faces whose box is at least this large (px, at the search resolution) are re-found
#: without upsampling (HOG finds faces from about 80 px without it).
LARGE_FACE = 160
#: Every this many detection frames, a search with the detector's own upsampling.
FULL_SEARCH_EVERY = 3

#: Smoothed points follow the measured ones only once these differ by this share of the face
#: size (with smoothing on).
DEAD_BAND = 0.03


class FaceTracker:
    """Track faces through frames.

    Args:
        detector: a ``FaceLandmarkDetector`` (only :meth:`detect_all` is used).
        detect_every (int): run the detector on every k-th frame. Default: 5.
        smooth (float): moving-average weight of the past, in [0, 1). Default: 0.6.
        select, max_faces, min_size: as ``FaceLandmarkDetector.detect_all``.
        dense (bool): track the 68 points too (models with the dense prior). Default: False.
    """

    def __init__(
        self,
        detector,
        detect_every: int = 5,
        smooth: float = 0.6,
        select: str = 'all',
        max_faces: Optional[int] = None,
        min_size: int = 0,
        dense: bool = False,
    ):
        if detect_every < 1:
            raise ValueError(f'detect_every must be >= 1, got {detect_every}')
        if not 0 <= smooth < 1:
            raise ValueError(f'smooth must be in [0, 1), got {smooth}')
        self.detector = detector
        self.detect_every = detect_every
        self.smooth = smooth
        self.select, self.max_faces, self.min_size = select, max_faces, min_size
        self.dense = dense
        self.tracks: List[dict] = []  # raw points, smoothed points, box, score
        self._gray = None
        self._frame = 0
        self._searches = 0

    def _working_upsample(self, frame) -> dict:
        """``upsample=0`` for a re-detection of large tracked faces (module docstring)."""
        from .landmark_detector import MAX_SEARCH_SIDE

        full = self._searches % FULL_SEARCH_EVERY == 0
        self._searches += 1
        if not self.tracks:
            return {}
        if full or any(t['box'] is None for t in self.tracks):
            # with tracks, 'auto' would stop at the tracked faces: the full search upsamples
            return dict(upsample=1) if getattr(self.detector, 'upsample', None) == 'auto' else {}
        scale = min(1.0, MAX_SEARCH_SIDE / max(frame.shape[:2]))
        smallest = min(min(b[2] - b[0], b[3] - b[1]) for b in (t['box'] for t in self.tracks))
        return dict(upsample=0) if smallest * scale >= LARGE_FACE else {}

    def _detect(self, frame) -> List[Face]:
        from .landmark_detector import NoFaceError

        try:
            found = self.detector.detect_all(
                frame,
                'frame',
                self.select,
                self.max_faces,
                self.min_size,
                **self._working_upsample(frame),
            )
        except NoFaceError:
            return []
        return [
            Face(f.points, f.box, f.score, points68=f.points68 if self.dense else None)
            for f in found
        ]

    def _flow(self, gray):
        for t in self.tracks:
            pts, status, _ = cv2.calcOpticalFlowPyrLK(
                self._gray, gray, t['raw'].reshape(-1, 1, 2), None, winSize=(21, 21), maxLevel=3
            )
            if status is not None and status.all():
                t['raw'] = pts.reshape(-1, 2)
            t['lost'] = status is None or not status.all()
        self.tracks = [t for t in self.tracks if not t['lost']]

    def _match(self, detections: List[Face]):
        old, new = self.tracks, []
        for d in detections:
            c, size = face_geometry(d.points)
            best = None
            for t in old:
                dist = np.linalg.norm(face_geometry(t['raw'][:5])[0] - c) / size
                if dist < 1.0 and (best is None or dist < best[0]):
                    best = (dist, t)
            raw = np.asarray(d.all_points, np.float32)  # the 5 key points (and the 68)
            if best is not None and len(best[1]['raw']) == len(raw):
                old.remove(best[1])
                track = dict(best[1], raw=raw, box=d.box, score=d.score)
            else:  # a new face: no past to smooth with
                track = dict(raw=raw, smoothed=raw.copy(), box=d.box, score=d.score)
            new.append(track)
        self.tracks = new

    def update(self, frame: np.ndarray) -> List[Face]:
        """The faces of the next frame (``(H, W, 3)`` uint8 BGR), smoothed."""
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        if self._gray is not None and self.tracks:
            self._flow(gray)
        if self._frame % self.detect_every == 0 or not self.tracks:
            self._match(self._detect(frame))
        self._gray, self._frame = gray, self._frame + 1
        faces = []
        for t in self.tracks:
            # a dead band: points that moved less than DEAD_BAND of the face size hold still
            # (sub-pixel jitter re-crops and re-warps the prior every frame otherwise)
            size = face_geometry(t['raw'][:5])[1]
            if self.smooth and np.abs(t['raw'][:5] - t['smoothed'][:5]).max() < DEAD_BAND * size:
                pass
            else:
                t['smoothed'] = self.smooth * t['smoothed'] + (1 - self.smooth) * t['raw']
            pts = t['smoothed'].astype(np.float32)
            dense = pts[5:] if len(pts) > 5 else None
            faces.append(Face(pts[:5], t['box'], t['score'], points68=dense))
        return faces
