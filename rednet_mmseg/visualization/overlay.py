"""Label maps drawn over photos: a plain colour blend on the face pixels."""

import numpy as np


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
    out = img_bgr.copy()
    mask = labels > 0
    colours = np.asarray(palette, np.float32)[labels[mask]][:, ::-1]
    out[mask] = (img_bgr[mask] * (1 - opacity) + colours * opacity).astype(np.uint8)
    return out
