"""Label maps drawn over photos: a plain colour blend on the face pixels."""

import numpy as np

_STRIP = 256  # rows blended at a time


def blend_labels(
    img_bgr: np.ndarray, labels: np.ndarray, palette: np.ndarray, opacity: float = 0.6
) -> np.ndarray:
    """``(H, W, 3)`` uint8 BGR with each non-background pixel blended with its colour.

    Labels > 0 take their class colour from ``palette`` ``(K, 3)`` RGB, as mmseg's
    ``dataset_meta['palette']``.

    >>> img = np.zeros((1, 2, 3), np.uint8)
    >>> blend_labels(img, np.array([[0, 1]]), np.array([[0, 0, 0], [255, 0, 0]]), 0.5)[0].tolist()
    [[0, 0, 0], [0, 0, 127]]
    """
    if not 0 <= opacity <= 1:
        raise ValueError(f'opacity must be in [0, 1], got {opacity}')
    out = img_bgr.copy()
    colours = np.asarray(palette, np.float32)[:, ::-1]
    for y in range(0, labels.shape[0], _STRIP):  # strips: no float copy of a whole photo
        rows = labels[y : y + _STRIP]
        mask = rows > 0
        if mask.any():
            src = img_bgr[y : y + _STRIP][mask]
            blended = src * (1 - opacity) + colours[rows[mask]] * opacity
            out[y : y + _STRIP][mask] = blended.astype(np.uint8)
    return out
