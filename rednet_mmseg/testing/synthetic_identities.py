"""Synthetic face identities in the CASIA-WebFace layout (one folder per identity)."""

import os
import os.path as osp

import cv2
import numpy as np

from .synthetic_helen import _draw_labels, _face_geometry, _render_image


def make_synthetic_identities(
    root: str, num_identities: int = 3, per_identity: int = 4, size: int = 96, seed: int = 0
) -> None:
    """``root/<7-digit id>/<3-digit n>.jpg`` synthetic identities, for tests.

    Each identity keeps its face geometry and colours (same generator seed), images differ by noise.
    """
    for ident in range(num_identities):
        folder = osp.join(root, f'{ident + 1:07d}')
        os.makedirs(folder, exist_ok=True)
        for k in range(per_identity):
            shapes = _face_geometry(np.random.default_rng(seed * 1000 + ident), size, size)
            label = _draw_labels(shapes, size, size)
            img = _render_image(np.random.default_rng(seed * 1000 + ident), label)
            noise = np.random.default_rng(k).normal(0, 4, img.shape)
            cv2.imwrite(
                osp.join(folder, f'{k + 1:03d}.jpg'), np.clip(img + noise, 0, 255).astype(np.uint8)
            )
