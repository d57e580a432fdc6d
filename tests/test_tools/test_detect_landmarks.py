"""tools/misc/detect_landmarks.py: a table for parse_faces.py from photos without landmarks."""

import os
import shutil

import cv2
import numpy as np
import pytest

from rednet_mmseg.datasets.landmark_table import read_landmark_table

pytest.importorskip('dlib')


def _run(*args, repo_root):
    """The tool in this process (``run_tool``: seconds of imports saved per call)."""
    from rednet_mmseg.testing.tool_runner import run_tool

    return run_tool(repo_root, 'misc/detect_landmarks.py', *args, '--no-progress')


@pytest.fixture
def photos(tmp_path):
    from matplotlib.cbook import get_sample_data

    folder = tmp_path / 'photos'
    folder.mkdir()
    shutil.copy(get_sample_data('grace_hopper.jpg', asfileobj=False), folder / 'hopper.jpg')
    cv2.imwrite(str(folder / 'wall.png'), np.full((150, 120, 3), 90, np.uint8))
    return folder


def test_folder_skips_images_without_a_face(photos, tmp_path, repo_root):
    table = tmp_path / 'out' / 'landmarks.txt'
    os.makedirs(table.parent)
    res = _run(str(photos), '-o', str(table), repo_root=repo_root)
    assert res.returncode == 0, res.stderr[-3000:]
    assert f'no face found in 1 image(s), skipped: {photos / "wall.png"}' in res.stderr
    points = read_landmark_table(str(table))
    assert list(points) == ['hopper'] and points['hopper'].shape == (5, 2)
    assert os.listdir(table.parent) == ['landmarks.txt']  # no temporary file left


def test_68_point_table_for_the_dense_prior(photos, tmp_path, repo_root):
    table = tmp_path / 'dense68.txt'
    res = _run(str(photos / 'hopper.jpg'), '--points', '68', '-o', str(table), repo_root=repo_root)
    assert res.returncode == 0, res.stderr[-3000:]
    points = read_landmark_table(str(table), 68)
    assert list(points) == ['hopper'] and points['hopper'].shape == (68, 2)
    eyes = points['hopper'][36:48]
    assert eyes[:6, 0].mean() < eyes[6:, 0].mean()  # iBUG order: the image-left eye first


def test_named_image_without_a_face_is_an_error(photos, tmp_path, repo_root):
    table = tmp_path / 'landmarks.txt'
    res = _run(
        str(photos / 'hopper.jpg'), str(photos / 'wall.png'), '-o', str(table), repo_root=repo_root
    )
    assert res.returncode != 0 and f'{photos / "wall.png"}: no face found' in res.stderr
    assert not table.exists()
    res = _run(str(photos / 'hopper.jpg'), '-o', str(tmp_path), repo_root=repo_root)
    assert res.returncode != 0 and 'is a directory' in res.stderr


def test_images_of_a_few_pixels_are_skipped_not_a_crash(photos, tmp_path, repo_root):
    """1x1 to 8x8 px images crashed inside dlib (its CNN); now they are faceless images."""
    for side in (1, 8):
        cv2.imwrite(str(photos / f'tiny{side}.png'), np.full((side, side, 3), 128, np.uint8))
    table = tmp_path / 'landmarks.txt'
    res = _run(str(photos), '-o', str(table), repo_root=repo_root)
    assert res.returncode == 0 and 'Traceback' not in res.stderr, res.stderr[-2000:]
    assert 'tiny1.png' in res.stderr and 'tiny8.png' in res.stderr
    assert list(read_landmark_table(str(table))) == ['hopper']
