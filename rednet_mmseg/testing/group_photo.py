"""A photo with two real faces, composed from a photograph that ships with matplotlib."""

import cv2
import numpy as np


def make_group_photo(size=(1000, 680), small_scale: float = 0.5) -> np.ndarray:
    """``(H, W, 3)`` uint8 BGR: two copies of matplotlib's ``grace_hopper.jpg``.

    The photo (512x600) at full size on the left and at ``small_scale`` right of the centre, on a
    grey canvas. The large face is the largest, the small one the nearest to the image centre.
    """
    from matplotlib.cbook import get_sample_data

    photo = cv2.imread(get_sample_data('grace_hopper.jpg', asfileobj=False), cv2.IMREAD_COLOR)
    w, h = size
    canvas = np.full((h, w, 3), 128, np.uint8)
    canvas[40 : 40 + photo.shape[0], : photo.shape[1]] = photo[: h - 40, :w]
    small = cv2.resize(photo, None, fx=small_scale, fy=small_scale, interpolation=cv2.INTER_AREA)
    y0, x0 = 200, 560
    canvas[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    return canvas
