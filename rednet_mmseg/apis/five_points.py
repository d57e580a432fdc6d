"""Five key points from dlib's 68, in the Helen converter's convention.

Left and right eye centres (means of 68-point eyes 36-41 / 42-47), nose tip (30), left and
right mouth corners (48 / 54), image-left first (``HELEN_5POINT_DOC``), then moved by
:data:`HELEN_OFFSETS` onto the converter's definition of each point.
"""

import numpy as np

#: Mean offset of each point from the Helen converter's (Helen point 49 is the middle of the
#: lower nose contour, below the 68-point nose tip) in units of the inter-ocular distance,
#: along the eye axis and its perpendicular (pointing down the face). Measured on the 218
#: training photos of the real-face dev set; subtracted from every detection.
HELEN_OFFSETS = np.array(
    [[-0.014, 0.017], [-0.002, 0.015], [-0.008, -0.187], [-0.024, -0.001], [0.012, -0.002]],
    np.float32,
)


def five_from_68(points68: np.ndarray) -> np.ndarray:
    """``(68, 2)`` iBUG points -> ``(5, 2)``: eye centres, nose tip, mouth corners.

    Each pair is ordered by x in the image, as the Helen converter orders its points.
    """
    eyes = sorted([points68[36:42].mean(0), points68[42:48].mean(0)], key=lambda p: p[0])
    mouth = sorted([points68[48], points68[54]], key=lambda p: p[0])
    return np.stack([eyes[0], eyes[1], points68[30], mouth[0], mouth[1]]).astype(np.float32)


def to_helen_convention(points: np.ndarray, offsets: np.ndarray = HELEN_OFFSETS) -> np.ndarray:
    """Remove each point's mean offset (``HELEN_OFFSETS``) in the face's own frame."""
    u = points[1] - points[0]
    iod = float(np.linalg.norm(u))
    if iod < 1e-6:
        return points
    u = u / iod
    v = np.array([-u[1], u[0]], np.float32)  # perpendicular, down the face
    return (points - iod * (offsets[:, :1] * u + offsets[:, 1:] * v)).astype(np.float32)
