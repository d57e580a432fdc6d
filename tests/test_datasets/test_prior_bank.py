import os
import os.path as osp

import numpy as np
import pytest

from rednet_mmseg.datasets import PriorBank
from rednet_mmseg.datasets.prior_bank import normalize_shape, similarity_transform


def _bank(root):
    return PriorBank.load(osp.join(root, 'prior_bank.npz'))


def test_normalisation_removes_position_scale_rotation(helen_converted):
    bank = _bank(helen_converted)
    pts = np.array([[30, 40], [60, 41], [45, 60], [33, 75], [58, 76]], np.float64)
    ang = np.deg2rad(20)
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    moved = 2.5 * pts @ rot.T + [100, -7]
    np.testing.assert_allclose(bank.encode(pts), bank.encode(moved), atol=1e-4)
    assert np.sqrt((normalize_shape(moved) ** 2).sum(-1).mean()) == pytest.approx(1)
    mat = similarity_transform(pts, moved)
    np.testing.assert_allclose(pts @ mat[:, :2].T + mat[:, 2], moved, atol=1e-6)


def test_knn_excludes_self(helen_converted):
    bank = _bank(helen_converted)
    name = bank.names[0]
    lm = np.loadtxt(osp.join(helen_converted, 'landmarks', 'val', f'{name}.txt'))
    assert bank.query(lm, 2)[0] == 0  # without exclusion the image finds itself
    assert 0 not in bank.query(lm, 2, exclude=name)
    assert 0 not in bank.neighbours[name]  # precomputed by the tool, also without self
    assert len(bank.neighbours) == 12  # every train/val/test image


def test_prior_is_a_distribution_aligned_with_the_face(helen_converted, helen_release):
    bank = _bank(helen_converted)
    labels = helen_release[2]
    accs = []
    for name in helen_release[1]['test']:
        lm = np.loadtxt(osp.join(helen_converted, 'landmarks', 'test', f'{name}.txt'))
        prior = bank.prior_for_image(lm, labels[name].shape, name=name, num_neighbors=2)
        assert prior.shape == (*labels[name].shape, 11)
        np.testing.assert_allclose(prior.sum(-1), 1, atol=1e-4)
        accs.append((prior.argmax(-1) == labels[name]).mean())
    assert np.mean(accs) > 0.7  # a landmark-aligned prior already parses synthetic faces


def test_eq5_mean_of_neighbour_one_hot_maps_by_hand():
    maps = np.array([[[0, 1], [2, 2]], [[0, 0], [2, 1]], [[1, 1], [1, 1]]], np.uint8)
    codes = np.array([[0.0], [1.0], [5.0]], np.float32)
    bank = PriorBank(
        ['a', 'b', 'c'],
        maps,
        codes,
        mean=np.zeros(10),
        components=np.zeros((1, 10)),
        reference=np.zeros((5, 2)),
        canvas_points=np.zeros((5, 2)),
        num_classes=3,
    )
    prior = bank.canvas_prior([0, 1])
    np.testing.assert_allclose(prior[0], [[1, 0.5], [0, 0]])
    np.testing.assert_allclose(prior[1], [[0, 0.5], [0, 0.5]])
    np.testing.assert_allclose(prior[2], [[0, 0], [1, 0.5]])
    # nearest in code space: a (0), b (1), c (5); excluding 'a' leaves b then c
    bank.encode = lambda pts: np.array([0.4], np.float32)
    assert list(bank.query(None, 2)) == [0, 1]
    assert list(bank.query(None, 2, exclude='a')) == [1, 2]


# ---------------------------------------------------------------- the dense prior (68 points)
@pytest.fixture(scope='module')
def dense(helen_dense):
    root, table, bank = helen_dense
    return root, bank, table


def test_dense_bank_keeps_the_68_points_in_the_canvas(dense):
    root, bank, _ = dense
    assert bank.has_dense and bank.dense_points.shape == (len(bank.names), 68, 2)
    name = bank.names[0]
    five = np.loadtxt(osp.join(root, 'landmarks', 'val', f'{name}.txt'))
    from rednet_mmseg.testing.dense_points import points68_from_5

    mat = similarity_transform(five, bank.canvas_points)
    expected = points68_from_5(five) @ mat[:, :2].T + mat[:, 2]
    # the table keeps 2 decimals
    np.testing.assert_allclose(bank.dense_points[0], expected, atol=0.02)
    # saved, loaded and anonymised with the shapes
    loaded = PriorBank.load(osp.join(root, 'prior_bank_dense.npz'))
    np.testing.assert_array_equal(loaded.dense_points, bank.dense_points)
    assert loaded.anonymised().has_dense
    assert not _bank(root).has_dense
    with pytest.raises(ValueError, match='no 68-point shapes'):
        _bank(root).query_dense(expected)


def test_dense_neighbours_by_procrustes_distance(dense):
    root, bank, _ = dense
    pts = bank.dense_points[1]
    ang = np.deg2rad(25)
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    moved = 3.0 * pts @ rot.T + [40, -9]  # the same shape, elsewhere: still the nearest
    assert bank.query_dense(moved, 3)[0] == 1
    assert 1 not in bank.query_dense(moved, 3, exclude=bank.names[1])


def test_dense_prior_of_a_bank_face_is_its_own_labels(dense, helen_release):
    """Its own 68 points, itself as the one neighbour: the warp returns its label map."""
    root, bank, table = dense
    from rednet_mmseg.datasets.landmark_table import read_landmark_table

    points = read_landmark_table(table, 68)
    labels = helen_release[2]
    name = bank.names[0]
    prior = bank.dense_prior_for_image(points[name], labels[name].shape, num_neighbors=1)
    assert prior.shape == (*labels[name].shape, 11)
    np.testing.assert_allclose(prior.sum(-1), 1, atol=1e-6)
    # the canvas is coarser than the image: boundaries move by a pixel or so
    assert (prior.argmax(-1) == labels[name]).mean() > 0.93


def test_dense_prior_parses_unseen_faces(dense, helen_release):
    root, bank, table = dense
    from rednet_mmseg.datasets.landmark_table import read_landmark_table

    points = read_landmark_table(table, 68)
    labels = helen_release[2]
    accs = []
    for name in helen_release[1]['test']:
        prior = bank.dense_prior_for_image(points[name], labels[name].shape, name, 2)
        np.testing.assert_allclose(prior.sum(-1), 1, atol=1e-5)
        accs.append((prior.argmax(-1) == labels[name]).mean())
    assert np.mean(accs) > 0.7  # as the 5-point prior (the template adds no shape information)


def test_dense_bank_needs_every_bank_image_in_the_table(helen_converted, tmp_path):
    from rednet_mmseg.datasets.landmark_table import write_landmark_table
    from rednet_mmseg.datasets.prior_bank_builder import build_prior_bank
    from rednet_mmseg.testing.dense_points import dense_table_of

    table = dense_table_of(helen_converted)
    dropped = sorted(os.listdir(osp.join(helen_converted, 'landmarks', 'val')))[0][: -len('.txt')]
    del table[dropped]  # a bank (val) image
    path = str(tmp_path / 'dense68.txt')
    write_landmark_table(path, table)
    with pytest.raises(ValueError, match=f'{path}: no 68 points for 1 val image'):
        build_prior_bank(helen_converted, str(tmp_path / 'b.npz'), dense_landmarks=path)
    assert not (tmp_path / 'b.npz').exists()
