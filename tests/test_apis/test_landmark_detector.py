"""The 5-point landmark detector on a real photograph shipped by a registry package.

The photograph is matplotlib's ``grace_hopper.jpg``; its conventions are written out by hand.
"""

import cv2
import numpy as np
import pytest
from matplotlib.cbook import get_sample_data

from rednet_mmseg.apis import FaceLandmarkDetector, NoFaceError
from rednet_mmseg.apis.five_points import HELEN_OFFSETS, five_from_68, to_helen_convention

pytest.importorskip('dlib')


@pytest.fixture(scope='module')
def detector():
    return FaceLandmarkDetector()


@pytest.fixture(scope='module')
def photo():
    return get_sample_data('grace_hopper.jpg', asfileobj=False)


def test_real_face(detector, photo):
    img = cv2.imread(photo)
    found = detector.detect(img)
    assert found.num_faces == 1 and found.detector == 'hog'
    le, re, nose, lm, rm = found.points
    iod = np.linalg.norm(re - le)
    x0, y0, x1, y1 = found.box
    assert 0.3 < iod / (x1 - x0) < 0.6  # eyes about 40 % of a dlib face box apart
    assert le[0] < nose[0] < re[0] and lm[0] < nose[0] < rm[0]
    assert abs(le[1] - re[1]) < 0.15 * iod  # an upright face
    # Helen's nose point is the bottom of the nose: ~0.8 IOD below the eyes, above the mouth
    eyes_y, mouth_y = (le[1] + re[1]) / 2, (lm[1] + rm[1]) / 2
    assert 0.6 * iod < nose[1] - eyes_y < 1.0 * iod and nose[1] < mouth_y
    # mirroring the photo mirrors the points (x -> w - 1 - x, left/right swapped)
    w = img.shape[1]
    mirrored = detector.detect(np.ascontiguousarray(img[:, ::-1])).points
    expected = found.points[[1, 0, 2, 4, 3]] * [-1, 1] + [w - 1, 0]
    assert np.linalg.norm(mirrored - expected, axis=1).max() < 0.12 * iod


def test_68_points_mirror_with_the_ibug_pairs(detector, photo):
    """The 68 points of the dense prior mirror with ``mirror_landmarks``' iBUG pairs.

    The photo's points mirrored are the mirrored photo's points, as for the 5 (a wrong pair
    would be an eye distance off).
    """
    from rednet_mmseg.datasets.transforms.face_augment import mirror_landmarks

    img = cv2.imread(photo)
    found = detector.detect(img)
    assert found.points68.shape == (68, 2)
    np.testing.assert_allclose(found.points, to_helen_convention(five_from_68(found.points68)))
    mirrored = detector.detect(np.ascontiguousarray(img[:, ::-1]))
    both = np.concatenate([found.points, found.points68])
    expected = mirror_landmarks(both, img.shape[1])[5:]
    iod = np.linalg.norm(found.points[1] - found.points[0])
    err = np.linalg.norm(mirrored.points68 - expected, axis=1)
    assert err.mean() < 0.06 * iod and err.max() < 0.15 * iod, (err.mean() / iod, err.max() / iod)


def test_no_face_names_the_image(detector, tmp_path):
    path = tmp_path / 'wall.png'
    cv2.imwrite(str(path), np.full((200, 160, 3), 128, np.uint8))
    with pytest.raises(NoFaceError, match=f'{path}: no face found'):
        detector.detect_file(str(path))
    with pytest.raises(ValueError, match='nothing.jpg: missing, unreadable'):
        detector.detect_file(str(tmp_path / 'nothing.jpg'))


def test_five_from_68_by_hand():
    p = np.zeros((68, 2), np.float32)
    p[36:42] = (70, 40)  # the subject's right eye, on the image's right here (a mirrored
    p[42:48] = (30, 40)  # layout), so sorting by x must swap the pairs
    p[30] = (50, 60)
    p[48], p[54] = (65, 80), (35, 80)
    np.testing.assert_allclose(five_from_68(p), [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]])


def test_offsets_follow_the_face_frame():
    """The offsets are removed along the eye axis / down the face, whatever the roll."""
    offsets = np.zeros((5, 2), np.float32)
    offsets[2] = (0.0, -0.2)  # a detector whose nose point sits 0.2 IOD too high
    upright = np.array([[0, 0], [10, 0], [5, 6], [2, 10], [8, 10]], np.float32)
    np.testing.assert_allclose(to_helen_convention(upright, offsets)[2], [5, 8], atol=1e-5)
    rolled = upright @ np.array([[0, 1], [-1, 0]], np.float32).T  # (x, y) -> (y, -x)
    np.testing.assert_allclose(to_helen_convention(rolled, offsets)[2], [8, -5], atol=1e-5)
    assert np.abs(HELEN_OFFSETS[2, 1]) > 0.1  # the one large correction: the nose point


def test_face_selection_on_a_group_photo(detector):
    """Two faces (the shipped photo at two sizes): all / largest / central / min size / max."""
    from rednet_mmseg.testing import make_group_photo

    img = make_group_photo()
    everyone = detector.detect_all(img, 'group', 'all')
    assert len(everyone) == 2 and all(f.num_faces == 2 for f in everyone)
    big, small = everyone  # largest first
    area = [(f.box[2] - f.box[0]) * (f.box[3] - f.box[1]) for f in everyone]
    assert area[0] > 2 * area[1] and big.box[0] < img.shape[1] / 2 < small.box[0]
    assert detector.detect(img, 'group').box == big.box  # the largest, as before
    assert detector.detect(img, 'group', select='central').box == small.box
    assert [f.box for f in detector.detect_all(img, 'g', 'all', max_faces=1)] == [big.box]
    side = min(small.box[2] - small.box[0], small.box[3] - small.box[1])
    assert [f.box for f in detector.detect_all(img, 'g', 'all', min_size=side + 1)] == [big.box]
    with pytest.raises(NoFaceError, match='group: no face of at least 2000 px found'):
        detector.detect_all(img, 'group', min_size=2000)
    with pytest.raises(ValueError, match='select must be one of'):
        detector.detect_all(img, 'group', select='nearest')


def test_concurrent_detections_equal_one_at_a_time(detector, photo):
    """Threads share one detector (``rednet_mmseg.apis.workers``), results as found alone.

    Each search borrows its own HOG detector (dlib's keeps the searched image inside it); at
    most as many HOG detectors exist as searches ran at once.
    """
    from rednet_mmseg.apis.workers import ordered_map

    img = cv2.imread(photo)
    images = [
        img,
        np.ascontiguousarray(img[:, ::-1]),
        cv2.resize(img, None, fx=0.7, fy=0.7),
        cv2.resize(img, None, fx=1.3, fy=1.3),
    ] * 2
    alone = [detector.detect(im) for im in images]
    together = list(ordered_map(detector.detect, images, workers=4))
    for a, b in zip(alone, together):
        assert a.box == b.box and a.score == b.score
        np.testing.assert_array_equal(a.points68, b.points68)
    assert 2 <= len(detector._hog._free) <= 4  # several lent at once, all returned


def test_auto_upsamples_only_photos_without_a_face(detector, photo):
    """``upsample='auto'`` (the default): the photo as it is first, then upsampled once.

    Upsampled only where the photo as it is gave no face; then the CNN (without, then with one
    upsampling). The shipped photo at a quarter size (a 52 px face, under HOG's 80 px window)
    is found by the upsampled search alone; beside a large face it is not (``upsample=1``
    finds both).
    """
    from rednet_mmseg.testing import make_group_photo

    assert detector.upsample == 'auto'
    searches = []
    search = detector._boxes

    def recorded(rgb, use_cnn, upsample):
        searches.append(('cnn' if use_cnn else 'hog', upsample))
        return search(rgb, use_cnn, upsample)

    small = cv2.resize(cv2.imread(photo), None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    alone = np.full((400, 400, 3), 128, np.uint8)
    alone[50 : 50 + small.shape[0], 50 : 50 + small.shape[1]] = small
    group = make_group_photo(small_scale=0.25)
    wall = np.full((200, 160, 3), 128, np.uint8)
    try:
        detector._boxes = recorded
        (found,) = detector.detect_all(alone, 'alone')
        assert searches == [('hog', 0), ('hog', 1)] and found.detector == 'hog'
        assert found.box == detector.detect_all(alone, 'alone', upsample=1)[0].box
        searches.clear()
        (large,) = detector.detect_all(group, 'group')  # the large face: no upsampled search
        assert searches == [('hog', 0)] and large.num_faces == 1
        assert len(detector.detect_all(group, 'group', upsample=1)) == 2
        searches.clear()
        with pytest.raises(NoFaceError):
            detector.detect_all(wall, 'wall')
        assert searches == [('hog', 0), ('hog', 1), ('cnn', 0), ('cnn', 1)]
        searches.clear()
        with pytest.raises(NoFaceError):
            detector.detect_all(wall, 'wall', upsample=0)
        assert searches == [('hog', 0), ('cnn', 0)]
    finally:
        del detector._boxes  # the instance attribute; the method again
    for bad in (3, -1, 'twice', True, 1.5, 1.0):
        with pytest.raises(ValueError, match='upsample must be one of'):
            detector.detect_all(alone, 'alone', upsample=bad)
    with pytest.raises(ValueError, match='upsample must be one of'):
        FaceLandmarkDetector(upsample=3)
