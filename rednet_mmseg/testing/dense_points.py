"""68 face points (iBUG order) made from 5 key points, for tests of the dense prior.

The synthetic data sets have 5 key points per face, and dlib's shape predictor finds no
cartoon's 68 points reliably; tests place a fixed, left-right symmetric 68-point template on
each face by the least-squares similarity from the template's 5 key points to the face's.
"""

import os.path as osp
from typing import Dict

import numpy as np

from ..datasets.prior_bank import similarity_transform


def _template() -> np.ndarray:
    """``(68, 2)`` iBUG points in units of the eye distance, origin between the eyes, y down."""
    theta = np.pi - np.arange(17) * np.pi / 16
    jaw = np.stack([np.cos(theta), 0.05 + 1.7 * np.sin(theta)], 1)
    brow_x = np.linspace(-0.85, -0.2, 5)
    brow_left = np.stack([brow_x, -0.35 - 0.1 * np.sin(np.linspace(0.3, 2.8, 5))], 1)
    brow_right = brow_left[::-1] * [-1, 1]
    bridge = np.stack([np.zeros(4), [0.05, 0.25, 0.45, 0.65]], 1)
    nose = np.array([[-0.25, 0.78], [-0.12, 0.82], [0, 0.85], [0.12, 0.82], [0.25, 0.78]])
    eye_left = np.array(
        [[-0.72, 0], [-0.58, -0.08], [-0.42, -0.08], [-0.28, 0], [-0.42, 0.07], [-0.58, 0.07]]
    )
    eye_right = eye_left[[3, 2, 1, 0, 5, 4]] * [-1, 1]
    outer = np.array(
        [[-0.45, 1.15], [-0.3, 1.05], [-0.12, 1.0], [0, 1.02], [0.12, 1.0], [0.3, 1.05],
         [0.45, 1.15], [0.3, 1.27], [0.12, 1.32], [0, 1.33], [-0.12, 1.32], [-0.3, 1.27]]
    )  # fmt: skip
    inner = np.array(
        [[-0.38, 1.15], [-0.12, 1.1], [0, 1.1], [0.12, 1.1], [0.38, 1.15], [0.12, 1.2], [0, 1.2],
         [-0.12, 1.2]]
    )  # fmt: skip
    return np.concatenate(
        [jaw, brow_left, brow_right, bridge, nose, eye_left, eye_right, outer, inner]
    )


#: The template's 68 points and its 5 key points (eye centres, nose tip, mouth corners).
TEMPLATE_68 = _template()
TEMPLATE_5 = np.array([[-0.5, 0.0], [0.5, 0.0], [0.0, 0.85], [-0.45, 1.15], [0.45, 1.15]])


def points68_from_5(points: np.ndarray) -> np.ndarray:
    """``(68, 2)`` float32 template points placed on a face by its ``(5, 2)`` key points."""
    mat = similarity_transform(TEMPLATE_5, np.asarray(points, np.float64))
    return (TEMPLATE_68 @ mat[:, :2].T + mat[:, 2]).astype(np.float32)


def dense_table_of(data_root: str, splits=('train', 'val', 'test')) -> Dict[str, np.ndarray]:
    """``image name -> (68, 2)`` points for every image of a converted tree (its 5-point files)."""
    import os

    table = {}
    for split in splits:
        folder = osp.join(data_root, 'landmarks', split)
        for name in sorted(os.listdir(folder)):
            if name.endswith('.txt'):
                pts = np.loadtxt(osp.join(folder, name), dtype=np.float32)
                table[osp.splitext(name)[0]] = points68_from_5(pts)
    return table
