"""Each shipped model's output on a real photo is pinned: a refactor that changes it is caught.

The photo ships with a dependency (matplotlib's ``grace_hopper.jpg``). Pinned: the class
histogram of the label map that ``parse_image`` gives with the defaults (the face detected,
mirrored). Tolerance, measured by the test itself: how far the histogram moves when the photo
changes by at most one grey level per pixel (noise far above any CPU's float rounding, far below
a change of method). For the fast model of 0.6.0 noise moves it 1,522 pixels of 307,200; the
0.5.0 model's label map is 22,326 away; with 0.5.0's model a crop context of 2.4 instead of 2.5
moved it 4,216 (noise: 264) and parsing without mirroring 26,308. The accurate model of 0.10.0:
noise moves it 600; it is 26,776 pixels away from the fast model's.
"""

import numpy as np
import pytest

from rednet_mmseg.apis import SHIPPED_MODELS, FaceParsingInferencer
from rednet_mmseg.apis.image_inputs import read_image

#: Class histogram (background, skin, brows, eyes, nose, lips, inner mouth, hair) per model,
#: measured with this test's code when the model was published.
PINNED = {
    'fast': [243568, 33177, 533, 554, 236, 264, 2637, 255, 0, 537, 25439],
    'accurate': [256982, 26504, 429, 508, 168, 169, 2618, 236, 0, 442, 19144],
}


def _histogram(labels, num_classes):
    return np.bincount(labels.ravel(), minlength=num_classes)


@pytest.mark.parametrize('key', sorted(SHIPPED_MODELS))
def test_output_on_a_real_photo_is_pinned(key):
    from matplotlib.cbook import get_sample_data

    img = read_image(get_sample_data('grace_hopper.jpg', asfileobj=False))
    inferencer = FaceParsingInferencer(model=key, device='cpu')
    labels, _, faces = inferencer.parse_image(img, name='grace_hopper.jpg')
    assert len(faces) == 1
    num_classes = len(inferencer.model.dataset_meta['classes'])
    hist = _histogram(labels, num_classes)
    # the tolerance: the histogram's move under +-1 grey level of noise, same face
    rng = np.random.default_rng(0)
    noisy = np.clip(img.astype(np.int16) + rng.integers(-1, 2, img.shape), 0, 255)
    moved, _, _ = inferencer.parse_image(noisy.astype(np.uint8), faces=faces, name='noisy')
    tolerance = int(np.abs(_histogram(moved, num_classes) - hist).sum())
    assert 0 < tolerance < 0.01 * labels.size  # the measurement itself is sane
    change = int(np.abs(hist - np.array(PINNED[key])).sum())
    assert change <= tolerance, (
        f'{key}: the label map of grace_hopper.jpg moved by {change} pixels (noise moves it '
        f'{tolerance}); histogram now {hist.tolist()}'
    )
