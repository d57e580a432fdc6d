"""Loading face landmarks."""
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadFaceLandmarks(BaseTransform):
    """Load the key points written by the converters (one ``x y`` line per point).

    They are stored as ``gt_keypoints`` of one instance, ``(1, K, 3)`` with columns
    ``x, y, visible``, so mmcv's ``Resize``, ``RandomFlip`` and crops move them with the image.

    Required Keys: ``landmark_path``.
    Added Keys: ``gt_keypoints`` (np.float32, ``(1, K, 3)``).

    Args:
        num_points (int): expected number of points. Default: 5.
    """

    def __init__(self, num_points: int = 5):
        self.num_points = num_points

    def transform(self, results: dict) -> dict:
        path = results['landmark_path']
        try:
            pts = np.loadtxt(path, dtype=np.float32, ndmin=2)
        except (OSError, ValueError) as err:
            raise ValueError(f'{path}: missing or malformed landmark file ({err})') from err
        if pts.shape != (self.num_points, 2) or not np.isfinite(pts).all():
            raise ValueError(f'{path}: expected {self.num_points} finite "x y" lines, '
                             f'got an array of shape {pts.shape}')
        vis = np.ones((self.num_points, 1), np.float32)
        results['gt_keypoints'] = np.concatenate([pts, vis], axis=1)[None]
        return results

    def __repr__(self):
        return f'{type(self).__name__}(num_points={self.num_points})'
