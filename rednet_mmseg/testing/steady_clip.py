"""A steady video made from a still photo: small known shifts and noise, for flicker checks."""

from typing import List, Tuple

import cv2
import numpy as np


def make_steady_clip(
    img: np.ndarray, path: str, frames: int = 30, max_shift: int = 2, noise: float = 3.0, seed=0
) -> List[Tuple[int, int]]:
    """Write ``frames`` shifted, noisy copies of ``img`` (BGR) as an mp4v video.

    Each frame is shifted by a random integer offset of at most ``max_shift`` pixels (edge pixels
    repeated), with Gaussian noise of std ``noise``, at 25 fps. Returns each frame's ``(dx, dy)``.
    """
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 25.0, (w, h))
    if not writer.isOpened():
        raise OSError(f'{path}: OpenCV cannot write an mp4v video here')
    shifts = []
    for _ in range(frames):
        dx, dy = (int(v) for v in rng.integers(-max_shift, max_shift + 1, 2))
        m = np.float32([[1, 0, dx], [0, 1, dy]])
        frame = cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
        frame = np.clip(frame + rng.normal(0, noise, frame.shape), 0, 255).astype(np.uint8)
        writer.write(frame)
        shifts.append((dx, dy))
    writer.release()
    return shifts
