"""Compositing several faces' crops into one label map (rednet_mmseg/apis/multi_face.py)."""

import numpy as np
import pytest

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
    assert rec == dict(box=[1, 2, 3, 4], points=[[1.23, 1.23]] * 5, score=0.8765, crop=[0, 0, 9, 9])


def test_context_must_be_positive():
    import argparse

    from rednet_mmseg.apis.multi_face import context_arg

    pts = np.array([[40, 40], [60, 40], [50, 50], [42, 60], [58, 60]], np.float32)
    for bad in (0, -1.0, float('nan')):
        with pytest.raises(ValueError, match='positive'):
            crop_box(pts, (100, 100), context=bad)
    for text in ('0', '-2', 'abc', 'nan'):
        with pytest.raises(argparse.ArgumentTypeError, match='positive'):
            context_arg(text)
    assert context_arg('2.5') == 2.5
