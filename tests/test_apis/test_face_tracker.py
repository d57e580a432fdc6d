"""FaceTracker: detection every k frames, and re-detection of large faces without upsampling."""

import numpy as np
import pytest

from rednet_mmseg.apis.face_tracker import FULL_SEARCH_EVERY, LARGE_FACE, FaceTracker
from rednet_mmseg.apis.landmark_detector import FaceLandmarks, NoFaceError

FIVE = np.float32([[-0.25, -0.2], [0.25, -0.2], [0.0, 0.05], [-0.2, 0.3], [0.2, 0.3]])


class _Detector:
    """One square face of side ``size`` at the frame's centre; records each search."""

    def __init__(self, size, upsample=1):
        self.size, self.calls, self.upsample = size, [], upsample

    def detect_all(self, img, name, select, max_faces, min_size, upsample=None):
        self.calls.append(upsample)
        if self.size is None:
            raise NoFaceError(f'{name}: no face found')
        h, w = img.shape[:2]
        c, s = np.float32([w / 2, h / 2]), self.size
        box = tuple(int(v) for v in (c[0] - s / 2, c[1] - s / 2, c[0] + s / 2, c[1] + s / 2))
        return [FaceLandmarks(c + FIVE * s, box, 1, 'hog', 1.0)]


def _frames(n, shape=(480, 640)):
    rng = np.random.default_rng(0)
    base = rng.integers(0, 255, (*shape, 3), dtype=np.uint8)
    return [base] * n


@pytest.mark.parametrize('size', [LARGE_FACE + 40, LARGE_FACE - 40])
def test_large_faces_are_re_found_without_upsampling(size):
    detector = _Detector(size)
    tracker = FaceTracker(detector, detect_every=5, smooth=0.0)
    for frame in _frames(5 * 2 * FULL_SEARCH_EVERY):
        (face,) = tracker.update(frame)
    searches = len(detector.calls)
    assert searches == 2 * FULL_SEARCH_EVERY  # every 5th frame
    full = [u is None for u in detector.calls]
    if size >= LARGE_FACE:  # a full search every FULL_SEARCH_EVERY-th, the rest without
        assert full == [i % FULL_SEARCH_EVERY == 0 for i in range(searches)]
        assert set(detector.calls) == {None, 0}
    else:  # small faces: always the detector's own upsampling
        assert all(full)
    # a still frame, no smoothing: the detected points, moved by nothing
    np.testing.assert_allclose(face.points, np.float32([320, 240]) + FIVE * size, atol=0.5)


def test_search_scale_counts_for_large_frames():
    """A 2048 px frame is searched at 1024 px: a 300 px face is 150 px there, not large."""
    detector = _Detector(300)
    tracker = FaceTracker(detector, detect_every=1, smooth=0.0)
    for frame in _frames(4, shape=(1536, 2048)):
        tracker.update(frame)
    assert detector.calls == [None] * 4


def test_lost_faces_get_a_full_search():
    detector = _Detector(LARGE_FACE + 40)
    tracker = FaceTracker(detector, detect_every=1, smooth=0.0)
    frames = _frames(3)
    tracker.update(frames[0])  # full search: found
    detector.size = None
    assert tracker.update(frames[1]) == []  # working resolution: nothing, the track is dropped
    detector.size = LARGE_FACE + 40
    assert len(tracker.update(frames[2])) == 1
    assert detector.calls == [None, 0, None]  # no track left: the detector's own search


def test_full_searches_upsample_a_detector_set_to_auto():
    """A full search upsamples once with tracks, where the detector's upsampling is 'auto'.

    ``'auto'`` stops at the faces it finds without upsampling, so a small face entering beside
    a large one is found only by an upsampled search.
    """
    detector = _Detector(LARGE_FACE + 40, upsample='auto')
    tracker = FaceTracker(detector, detect_every=1, smooth=0.0)
    frames = _frames(2 + FULL_SEARCH_EVERY)
    tracker.update(frames[0])  # no tracks yet: the detector's own ('auto') search
    detector.size = None
    tracker.update(frames[1])  # a working-resolution search: nothing, the track is dropped
    detector.size = LARGE_FACE + 40
    for frame in frames[2:]:
        tracker.update(frame)
    # no track: 'auto' (None); with one, every FULL_SEARCH_EVERY-th search upsamples once
    counted = [1 if i % FULL_SEARCH_EVERY == 0 else 0 for i in range(3, len(detector.calls))]
    assert detector.calls == [None, 0, None] + counted and 1 in counted


class _DenseDetector(_Detector):
    """As ``_Detector``, with the 68 points of a template face on it."""

    def detect_all(self, img, name, select, max_faces, min_size, upsample=None):
        from rednet_mmseg.testing.dense_points import points68_from_5

        (face,) = super().detect_all(img, name, select, max_faces, min_size, upsample)
        face.points68 = points68_from_5(face.points)
        return [face]


@pytest.mark.parametrize('dense', [True, False])
def test_dense_tracks_move_the_68_points_with_the_face(dense):
    """Between detections optical flow moves all 73 points; without ``dense`` only the 5."""
    rng = np.random.default_rng(1)
    base = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
    base = np.ascontiguousarray(np.repeat(np.repeat(base[::4, ::4], 4, 0), 4, 1))  # smooth-ish
    tracker = FaceTracker(_DenseDetector(LARGE_FACE), detect_every=10, smooth=0.0, dense=dense)
    (first,) = tracker.update(base)
    (moved,) = tracker.update(np.roll(base, 3, axis=1))  # the frame moves 3 px right
    np.testing.assert_allclose(moved.points, first.points + [3, 0], atol=0.3)
    if not dense:
        assert first.points68 is None and moved.points68 is None
        return
    assert first.points68.shape == (68, 2)
    np.testing.assert_allclose(moved.points68, first.points68 + [3, 0], atol=0.3)
