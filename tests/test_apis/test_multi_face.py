"""Compositing several faces' crops into one label map (rednet_mmseg/apis/multi_face.py)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rednet_mmseg.apis.multi_face import Face, composite, crop_box, face_geometry


def _face(cx, cy, size):
    """Five points whose centre is (cx, cy) and larger extent ``size``."""
    d = size / 2
    pts = np.array([[-d, -d], [d, -d], [0, 0], [-d, d], [d, d]], np.float32) + [cx, cy]
    return Face(pts)


def test_geometry_and_crop():
    face = _face(50, 40, 10)
    centre, size = face_geometry(face.points)
    assert np.allclose(centre, [50, 40]) and size == pytest.approx(10)
    assert crop_box(face.points, (100, 200), context=3.0) == (20, 10, 80, 70)
    assert crop_box(face.points, (60, 60), context=3.0) == (20, 10, 60, 60)  # clipped
    with pytest.raises(ValueError, match='outside the 10x10 image'):
        crop_box(_face(500, 500, 10).points, (10, 10))


def test_overlaps_go_to_the_nearest_face_in_its_own_units():
    """Overlapping crops: each pixel takes the face nearest in units of its size.

    A big face (size 20) at x=30 and a small one (size 5) at x=50: at x=45 the small face is 1 of
    its sizes away and the big one 0.75 of its sizes, so the big face wins there; at x=49 the small
    face (0.2) wins; pixels outside both crops stay background.
    """
    big, small = _face(30, 30, 20), _face(50, 30, 5)
    shape = (60, 120)
    for f in (big, small):
        f.crop = crop_box(f.points, shape, context=1.5)
    crops = []
    for value, f in ((1, big), (2, small)):
        x0, y0, x1, y1 = f.crop
        crops.append(np.full((y1 - y0, x1 - x0), value, np.uint8))
    labels, instances = composite(shape, [big, small], crops)
    assert labels[30, 45] == 1 and instances[30, 45] == 1
    assert labels[30, 49] == 2 and instances[30, 49] == 2
    assert labels[30, 100] == 0 and instances[30, 100] == 0  # outside every crop
    # background predicted inside a crop is background in the instance map too
    crops[1][:] = 0
    labels, instances = composite(shape, [big, small], crops)
    assert labels[30, 49] == 0 and instances[30, 49] == 0


def test_record_is_json_ready():
    import json

    face = Face(np.ones((5, 2), np.float32) * 1.234567, box=(1, 2, 3, 4), score=0.87654321)
    face.crop = (0, 0, 9, 9)
    rec = json.loads(json.dumps(face.record()))
    names = rec.pop('point_names')
    assert rec == dict(box=[1, 2, 3, 4], points=[[1.23, 1.23]] * 5, score=0.8765, crop=[0, 0, 9, 9])
    # which "left": the points' sides are the image's (the classes' are the subject's)
    assert names[0] == 'eye centre, image left' and names[4] == 'mouth corner, image right'


def test_context_must_be_positive():
    import argparse

    from rednet_mmseg.apis.tool_args import context_arg

    pts = np.array([[40, 40], [60, 40], [50, 50], [42, 60], [58, 60]], np.float32)
    for bad in (0, -1.0, float('nan')):
        with pytest.raises(ValueError, match='positive'):
            crop_box(pts, (100, 100), context=bad)
    for text in ('0', '-2', 'abc', 'nan'):
        with pytest.raises(argparse.ArgumentTypeError, match='positive'):
            context_arg(text)
    assert context_arg('2.5') == 2.5


def _composite_reference(image_shape, faces, crops_labels):
    """The pre-0.5 composite (full-image float64 distance maps), kept as the reference."""
    from rednet_mmseg.apis.multi_face import face_geometry

    h, w = image_shape[:2]
    labels = np.zeros((h, w), np.uint8)
    instances = np.zeros((h, w), np.uint8)
    best = np.full((h, w), np.inf)
    ys, xs = np.mgrid[0:h, 0:w]
    for i, (face, crop_labels) in enumerate(zip(faces, crops_labels)):
        x0, y0, x1, y1 = face.crop
        (cx, cy), size = face_geometry(face.points)
        dist = np.hypot(xs[y0:y1, x0:x1] - cx, ys[y0:y1, x0:x1] - cy) / size
        win = dist < best[y0:y1, x0:x1]
        best[y0:y1, x0:x1][win] = dist[win]
        labels[y0:y1, x0:x1][win] = crop_labels[win]
        instances[y0:y1, x0:x1][win] = np.where(crop_labels[win] > 0, min(i + 1, 255), 0)
    return labels, instances


@given(st.integers(1, 4), st.integers(0, 2**31 - 1))
def test_composite_equals_the_full_image_reference(n, seed):
    """Overlapping faces: the crop-sized composite gives the full-image composite's maps."""
    from rednet_mmseg.apis.multi_face import composite, crop_box

    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(20, 90)), int(rng.integers(20, 90)))
    faces, crops = [], []
    for _ in range(n):
        centre = rng.uniform(0, 1, 2) * shape[::-1]
        face = Face((centre + rng.normal(0, 6, (5, 2))).astype(np.float32))
        face.crop = x0, y0, x1, y1 = crop_box(face.points, shape, float(rng.uniform(0.5, 3)))
        faces.append(face)
        crops.append(rng.integers(0, 11, (y1 - y0, x1 - x0)).astype(np.uint8))
    got = composite(shape, faces, crops)
    want = _composite_reference(shape, faces, crops)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_composite_and_overlay_memory_stay_near_the_outputs():
    """A 12 MP photo with one face filling it: no full-size float or index maps.

    The outputs (labels + instances) are 2 bytes per pixel and the overlay 3; the old composite
    peaked at 32 bytes per pixel (two int64 index grids, a float64 distance map).
    """
    import tracemalloc

    from rednet_mmseg.apis.multi_face import composite
    from rednet_mmseg.visualization import blend_labels

    h, w = 3000, 4000
    face = Face(
        np.array([[1500, 1300], [2500, 1300], [2000, 1800], [1600, 2200], [2400, 2200]], np.float32)
    )
    face.crop = (0, 0, w, h)
    crop_labels = np.ones((h, w), np.uint8)
    img = np.zeros((h, w, 3), np.uint8)
    palette = np.zeros((11, 3), np.uint8)
    tracemalloc.start()
    labels, _ = composite((h, w), [face], [crop_labels])
    overlay = blend_labels(img, labels, palette)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert overlay.shape == img.shape
    assert peak < 12 * h * w, f'{peak / (h * w):.1f} bytes per pixel'


def test_faces_carry_the_detectors_68_points():
    from rednet_mmseg.apis.crop_parser import points_for_model
    from rednet_mmseg.apis.landmark_detector import FaceLandmarks
    from rednet_mmseg.apis.multi_face import as_faces

    five = np.arange(10, dtype=np.float32).reshape(5, 2)
    p68 = np.arange(136, dtype=np.float32).reshape(68, 2)
    detected, given = as_faces([FaceLandmarks(five, (0, 0, 9, 9), 1, 'hog', 1.0, p68), five])
    assert detected.all_points.shape == (73, 2) and given.all_points.shape == (5, 2)
    np.testing.assert_array_equal(detected.all_points[5:], p68)
    # what each model takes: the 5, or all 73; a dense model given 5 says what to do
    np.testing.assert_array_equal(points_for_model(detected.all_points, dense=False), five)
    assert points_for_model(detected.all_points, dense=True).shape == (73, 2)
    with pytest.raises(ValueError, match='needs each face.s 68 points'):
        points_for_model(given.all_points, dense=True)
    with pytest.raises(ValueError, match=r'expected \(5, 2\) or \(73, 2\)'):
        points_for_model(p68, dense=False)
