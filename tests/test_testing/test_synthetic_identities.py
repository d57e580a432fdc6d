"""Synthetic identities: CASIA-WebFace layout, one face per identity."""

import cv2
import numpy as np

from rednet_mmseg.testing import make_synthetic_identities


def test_layout_and_identity(tmp_path):
    make_synthetic_identities(str(tmp_path), num_identities=2, per_identity=2, size=64)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['0000001', '0000002']
    a1, a2 = (cv2.imread(str(tmp_path / '0000001' / f'00{k}.jpg')).astype(float) for k in (1, 2))
    b1 = cv2.imread(str(tmp_path / '0000002' / '001.jpg')).astype(float)
    # images of one identity differ by noise only; another identity differs in the face
    assert np.abs(a1 - a2).mean() < np.abs(a1 - b1).mean() / 2
