"""The dense prior's triangle-by-triangle warp (``rednet_mmseg.datasets.piecewise_warp``)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rednet_mmseg.datasets.piecewise_warp import PiecewiseAffineWarp
from rednet_mmseg.testing.dense_points import TEMPLATE_68


def _face(shape=(96, 80), iod=18.0):
    h, w = shape
    return (TEMPLATE_68 * iod + [w / 2, h * 0.4]).astype(np.float64)


def _similarity(scale, angle, tx, ty):
    c, s = scale * np.cos(angle), scale * np.sin(angle)
    return np.array([[c, -s, tx], [s, c, ty]])


@settings(max_examples=15, deadline=None)
@given(
    scale=st.floats(0.5, 2.0),
    angle=st.floats(-0.6, 0.6),
    tx=st.floats(-30, 30),
    ty=st.floats(-30, 30),
)
def test_a_similarity_of_the_points_warps_as_that_similarity(scale, angle, tx, ty):
    """Between a face and a similar copy every triangle's affine map is the similarity."""
    pts = _face()
    mat = _similarity(scale, angle, tx, ty)
    source = pts @ mat[:, :2].T + mat[:, 2]
    mx, my = PiecewiseAffineWarp(pts, (96, 80)).maps(source, mat)
    ys, xs = np.mgrid[0:96, 0:80]
    tol = 1e-3 * max(1.0, scale * 100)  # float32 barycentric coordinates
    np.testing.assert_allclose(mx, mat[0, 0] * xs + mat[0, 1] * ys + mat[0, 2], atol=tol)
    np.testing.assert_allclose(my, mat[1, 0] * xs + mat[1, 1] * ys + mat[1, 2], atol=tol)


def test_a_moved_point_moves_only_its_own_triangles():
    pts = np.round(_face())  # vertices on pixel centres
    source = pts.copy()
    source[48] += [3.0, -2.0]  # the image-left mouth corner
    identity = _similarity(1.0, 0.0, 0.0, 0.0)
    warp = PiecewiseAffineWarp(pts, (96, 80), step=1)  # every pixel computed
    mx, my = warp.maps(source, identity)
    x, y = pts[48].astype(int)
    assert (mx[y, x], my[y, x]) == pytest.approx(tuple(source[48]), abs=1e-3)
    # a brow corner, far from the mouth, reads its own pixel
    bx, by = pts[19].astype(int)
    assert (mx[by, bx], my[by, bx]) == pytest.approx((bx, by), abs=1e-3)
    # labels: the warp moves a region of the source with the point
    labels = np.zeros((96, 80), np.uint8)
    labels[y - 2 - 2 : y - 2 + 3, x + 3 - 2 : x + 3 + 3] = 7  # a blob at the moved corner
    moved = warp.warp_labels(labels, source, identity)
    assert moved[y, x] == 7 and labels[y, x] == 0
    # computed every 2nd pixel and interpolated (the default): exact where the warp is affine
    # over the grid's cells; near the moved point's thin lip triangles (a pixel or two wide on
    # this small face) the interpolation blurs the kink, which moves few labels
    coarse = PiecewiseAffineWarp(pts, (96, 80))
    cx, cy = coarse.maps(source, identity)
    err = np.hypot(cx - mx, cy - my)
    yy, xx = np.mgrid[0:96, 0:80]
    far = np.hypot(xx - pts[48, 0], yy - pts[48, 1]) > 18  # an eye distance away
    assert err[far].max() < 1e-3
    blob = coarse.warp_labels(labels, source, identity) == 7
    assert (blob != (moved == 7)).sum() <= 0.2 * (moved == 7).sum()


def test_points_other_than_68_are_refused():
    with pytest.raises(ValueError, match=r'expected \(68, 2\)'):
        PiecewiseAffineWarp(np.zeros((5, 2)), (10, 10))
    bad = _face()
    bad[3] = np.nan
    with pytest.raises(ValueError, match='finite'):
        PiecewiseAffineWarp(bad, (96, 80))
