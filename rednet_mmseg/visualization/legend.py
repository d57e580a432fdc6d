"""A colour legend image for face parsing overlays."""

from typing import Sequence

import cv2
import numpy as np


def draw_legend(
    classes: Sequence[str], palette: Sequence[Sequence[int]], swatch: int = 24, width: int = 240
) -> np.ndarray:
    """One row per class: a colour swatch and the class name.

    Args:
        classes: class names, in label order.
        palette: RGB colour per class.
        swatch: side of a colour swatch in pixels.
        width: image width in pixels.

    Returns:
        np.ndarray: ``(rows * (swatch + 4) + 4, width, 3)`` uint8 BGR image (write it with
        ``cv2.imwrite``): one row per class and, when classes have sides (``left_*`` /
        ``right_*``, ``l_*`` / ``r_*``), a last row saying that left and right are the
        subject's (``left_eye`` lies on the image's right).
    """
    row = swatch + 4
    sided = any(str(n).lower().startswith(('left', 'right', 'l_', 'r_')) for n in classes)
    img = np.full(((len(classes) + sided) * row + 4, width, 3), 255, np.uint8)
    if sided:
        cv2.putText(
            img,
            "left/right: the subject's",
            (8, 4 + len(classes) * row + swatch - 6),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5,
            (0, 0, 0),
            1,
            cv2.LINE_AA,
        )
    for i, (name, rgb) in enumerate(zip(classes, palette)):
        y = 4 + i * row
        cv2.rectangle(
            img, (4, y), (4 + swatch, y + swatch), tuple(int(c) for c in rgb[::-1]), thickness=-1
        )
        cv2.rectangle(img, (4, y), (4 + swatch, y + swatch), (0, 0, 0), thickness=1)
        cv2.putText(
            img,
            f'{i} {name}',
            (swatch + 12, y + swatch - 6),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5,
            (0, 0, 0),
            1,
            cv2.LINE_AA,
        )
    return img
