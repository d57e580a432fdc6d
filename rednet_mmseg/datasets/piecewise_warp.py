"""Piecewise-affine warps between two sets of 68 face points (the dense prior's warp).

Not in the paper: the paper's prior (Eq. 5) brings each neighbour's label map onto the image by
a similarity of 5 key points. The dense prior (``LoadFacePrior(dense=True)``) instead warps
each neighbour triangle by triangle between its 68 iBUG points and the image's, as exemplar
face parsers do (Smith et al., CVPR 2013, the paper that introduced Helen), so that the
neighbours' eyes, brows and lips land on the image's own contours.

The triangulation is made once per image on its own points (plus anchors around the face, so
that hair and background move with the face's similarity), and each pixel's barycentric
coordinates are kept: warping one more neighbour is a matrix product and a ``cv2.remap``.
"""

from typing import Tuple

import cv2
import numpy as np
from scipy.spatial import Delaunay

#: Points whose rays from the face centre place the anchors: jaw (0, 4, 8, 12, 16), brow ends
#: and middles (17, 19, 21, 22, 24, 26) and the nose bridge (27).
_ANCHOR_POINTS = (0, 4, 8, 12, 16, 17, 19, 21, 22, 24, 26, 27)
#: Fixed-point bits of the triangle corners when rasterised (``cv2.fillConvexPoly``).
_SHIFT = 4
_SUBPIXEL = 1 << _SHIFT
#: How far out, as multiples of each point's distance from the face centre, the anchor rings lie.
_ANCHOR_RINGS = (1.6, 2.4)


def face_anchors(points: np.ndarray, image_shape: Tuple[int, int]) -> np.ndarray:
    """``(A, 2)`` anchor points around a face: two rings about its 68 points, and far corners.

    Args:
        points (np.ndarray): ``(68, 2)`` iBUG points (x, y).
        image_shape (tuple): ``(H, W)`` of the frame they are in.
    """
    pts = np.asarray(points, np.float64)
    centre = pts.mean(0)
    rays = pts[list(_ANCHOR_POINTS)] - centre
    rings = [centre + f * rays for f in _ANCHOR_RINGS]
    h, w = image_shape
    corners = np.array([[-w, -h], [2 * w, -h], [-w, 2 * h], [2 * w, 2 * h]], np.float64)
    return np.concatenate(rings + [corners])


class PiecewiseAffineWarp:
    """Pixel-wise source coordinates of warps onto one image's 68 points.

    Args:
        points (np.ndarray): ``(68, 2)`` iBUG points of the image (x, y, pixels).
        image_shape (tuple): ``(H, W)`` of the output.
        step (int): source coordinates are computed every ``step`` pixels and interpolated
            bilinearly: exact where the warp is affine over a grid cell, blurred where a cell
            spans a kink (thin lip and eye triangles); 1 computes every pixel. On 10 dev photos'
            faces (256 px canvas, measured once while choosing it) step 2 changed no label of a
            warped map, for a quarter of the work. Default: 2.

    Call :meth:`maps` with a source's 68 points and the ``(2, 3)`` similarity from the image to
    that source (it places the anchors); the result feeds ``cv2.remap``.

    Examples:
        >>> pts = np.random.default_rng(0).uniform(20, 80, (68, 2))
        >>> warp = PiecewiseAffineWarp(pts, (100, 100))
        >>> identity = np.array([[1.0, 0, 0], [0, 1.0, 0]])
        >>> mx, my = warp.maps(pts, identity)
        >>> bool(np.allclose(mx[10, 30], 30, atol=1e-3) and np.allclose(my[10, 30], 10, atol=1e-3))
        True
    """

    def __init__(self, points: np.ndarray, image_shape: Tuple[int, int], step: int = 2):
        points = np.asarray(points, np.float64)
        if points.shape != (68, 2) or not np.isfinite(points).all():
            raise ValueError(f'expected (68, 2) finite points, got {points.shape}')
        self.shape = tuple(int(s) for s in image_shape)
        self.step = int(step)
        anchors = face_anchors(points, self.shape)
        self.points = np.concatenate([points, anchors])
        tri = Delaunay(self.points)
        # source coordinates are computed on a grid of every step-th pixel (one sample beyond
        # each border) and interpolated bilinearly: exact inside a triangle, where the warp is
        # affine, and a 4x smaller computation at step 2 (coordinates, not labels, are resampled)
        h, w = self.shape
        hc, wc = -(-h // step) + 2, -(-w // step) + 2
        self._offset = (step - 1) / 2 - step  # full-resolution coordinate of grid sample 0
        # each grid sample's triangle: the triangles rasterised into an index image, outlines
        # included, so that samples on shared edges are covered (OpenCV does in C what scipy's
        # find_simplex does at 10-100 ms per call)
        index = np.zeros((hc, wc), np.int32)
        grid_points = (self.points - self._offset) / step
        for i, simplex in enumerate(tri.simplices):
            corners = np.round(grid_points[simplex] * _SUBPIXEL).astype(np.int32)
            cv2.fillConvexPoly(index, corners, i + 1, cv2.LINE_8, _SHIFT)
            cv2.polylines(index, [corners], True, i + 1, 1, cv2.LINE_8, _SHIFT)
        # a sample still on no triangle takes a neighbour's (the warp is continuous across
        # edges: a neighbouring triangle's affine map extrapolates it within rounding)
        for _ in range(3):
            holes = index == 0
            if not holes.any():
                break
            grown = cv2.dilate(index, np.ones((3, 3), np.uint8))
            index[holes] = grown[holes]
        index = np.maximum(index.ravel() - 1, 0)
        ys, xs = np.mgrid[0:hc, 0:wc]
        pix = np.stack([xs.ravel(), ys.ravel()], 1) * float(step) + self._offset
        affine = tri.transform[index]  # (P, 3, 2): barycentric solve per sample
        bary = np.einsum('pij,pj->pi', affine[:, :2], pix - affine[:, 2])
        self.bary = np.concatenate([bary, 1.0 - bary.sum(1, keepdims=True)], 1).astype(np.float32)
        self.vertices = tri.simplices[index]  # (P, 3)
        self._grid = (hc, wc)

    def maps(self, source_points: np.ndarray, to_source: np.ndarray):
        """``(map_x, map_y)`` float32 ``(H, W)``: where each output pixel reads the source.

        Args:
            source_points (np.ndarray): ``(68, 2)`` the same points in the source's frame.
            to_source (np.ndarray): ``(2, 3)`` similarity from this image's frame to the
                source's (moves the anchors).
        """
        anchors = self.points[68:] @ to_source[:, :2].T + to_source[:, 2]
        src = np.concatenate([np.asarray(source_points, np.float64), anchors]).astype(np.float32)
        coords = np.einsum('pk,pkc->pc', self.bary, src[self.vertices])
        h, w = self.shape
        (hc, wc), step = self._grid, self.step
        coarse = coords.reshape(hc, wc, 2)
        if step > 1:  # grid sample k sits at step * (k - 1) + (step - 1) / 2: cv2's centres
            coarse = cv2.resize(coarse, (wc * step, hc * step), interpolation=cv2.INTER_LINEAR)
        full = coarse[step : step + h, step : step + w] if step > 1 else coarse[1:-1, 1:-1]
        return np.ascontiguousarray(full[..., 0]), np.ascontiguousarray(full[..., 1])

    def warp_labels(self, labels: np.ndarray, source_points: np.ndarray, to_source: np.ndarray):
        """``(H, W)`` uint8: a source label map warped onto this image (nearest, 0 outside)."""
        mx, my = self.maps(source_points, to_source)
        return cv2.remap(labels, mx, my, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
