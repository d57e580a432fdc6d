import os.path as osp

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS

import rednet_mmseg  # noqa: F401  (registers components, applies upstream workarounds)
from rednet_mmseg.datasets.converters import (
    convert_celebamask_hq,
    convert_helen,
    convert_lapa,
    convert_lfw,
)
from rednet_mmseg.datasets.prior_bank_builder import build_prior_bank
from rednet_mmseg.testing import (
    make_synthetic_celebamask_hq,
    make_synthetic_helen,
    make_synthetic_lapa,
    make_synthetic_lfw,
)

# Property-based tests: bounded (the suite's time), no example database in the checkout.
settings.register_profile(
    'rednet',
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile('rednet')
init_default_scope('mmseg')  # as a Runner would: mmseg's transforms, not mmcv's
REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='session')
def helen_release(tmp_path_factory):
    """A small synthetic Helen release in the original format: (root, names, labels)."""
    root = str(tmp_path_factory.mktemp('helen_release'))
    names, labels = make_synthetic_helen(
        root, num_train=6, num_val=3, num_test=3, seed=3, size_range=(90, 130)
    )
    return root, names, labels


@pytest.fixture(scope='session')
def helen_converted(helen_release, tmp_path_factory):
    """The release above converted with the real converter (Smith split)."""
    out = str(tmp_path_factory.mktemp('helen_converted') / 'helen')
    convert_helen(helen_release[0], out, progress=False)
    # the adaptive prior's bank, as tools/misc/build_prior_bank.py writes it
    build_prior_bank(out)
    return out


@pytest.fixture(scope='session')
def helen_dense(helen_converted, tmp_path_factory):
    """A copy of the converted tree with 68 points per face and a bank that keeps them.

    ``(root, table, bank)``: ``root/dense68.txt`` holds a template 68-point shape placed on each
    face by its 5 points (``rednet_mmseg.testing.dense_points``), ``root/prior_bank_dense.npz``
    the val bank built with it, as ``build_prior_bank.py --dense-landmarks`` writes it.
    """
    import shutil

    from rednet_mmseg.datasets.landmark_table import write_landmark_table
    from rednet_mmseg.testing.dense_points import dense_table_of

    root = str(tmp_path_factory.mktemp('helen_dense') / 'helen')
    shutil.copytree(helen_converted, root)
    table = osp.join(root, 'dense68.txt')
    write_landmark_table(table, dense_table_of(root))
    bank, _, _ = build_prior_bank(
        root, osp.join(root, 'prior_bank_dense.npz'), num_neighbors=2, dense_landmarks=table
    )
    return root, table, bank


@pytest.fixture(scope='session')
def tiny_checkpoint(tmp_path_factory):
    """An untrained tiny RED-Net saved as tools/train.py would (dataset_meta in meta).

    The tiny prior configs have the same weights.
    """
    import torch
    from mmengine.config import Config
    from mmseg.registry import MODELS

    from rednet_mmseg.datasets import HelenDataset

    cfg = Config.fromfile(
        osp.join(REPO, 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py')
    )
    model = MODELS.build(cfg.model)
    model.init_weights()
    path = tmp_path_factory.mktemp('tiny_ckpt') / 'tiny.pth'
    meta = dict(dataset_meta=dict(HelenDataset.METAINFO))
    torch.save(dict(state_dict=model.state_dict(), meta=meta), path)
    return str(path)


@pytest.fixture(scope='session')
def repo_root():
    return REPO


@pytest.fixture(scope='session')
def lfw_release(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('lfw_release'))
    return (root, *make_synthetic_lfw(root, counts=(3, 2, 2), seed=4))


@pytest.fixture(scope='session')
def lapa_release(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('lapa_release'))
    return (root, *make_synthetic_lapa(root, counts=(3, 2, 2), seed=5))


@pytest.fixture(scope='session')
def celebamask_release(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('celebamask_release'))
    return (root, *make_synthetic_celebamask_hq(root, counts=(2, 1, 2), seed=6, size=640))


@pytest.fixture(scope='session')
def converted_roots(
    helen_converted, lfw_release, lapa_release, celebamask_release, tmp_path_factory
):
    """Data set type -> converted root of a small synthetic release."""
    base = tmp_path_factory.mktemp('converted')
    convert_lfw(lfw_release[0], str(base / 'lfw'), progress=False)
    convert_lapa(lapa_release[0], str(base / 'lapa'), progress=False)
    convert_celebamask_hq(celebamask_release[0], str(base / 'celeb'), progress=False)
    return dict(
        HelenDataset=helen_converted,
        LFWPartLabelsDataset=str(base / 'lfw'),
        LaPaDataset=str(base / 'lapa'),
        CelebAMaskHQDataset=str(base / 'celeb'),
    )


def tree_digest(root):
    """Hash of every file's path, bytes and mtime below root (source-untouched checks)."""
    import hashlib
    import os

    h = hashlib.sha256()
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            p = osp.join(d, f)
            h.update(p[len(root) :].encode())
            with open(p, 'rb') as fh:
                h.update(fh.read())
            h.update(str(os.stat(p).st_mtime_ns).encode())
    return h.hexdigest()


@pytest.fixture(scope='session')
def digest():
    return tree_digest


@pytest.fixture(scope='session')
def check_loads_labels():
    """``(root, dataset_type, labels, split='test') -> dataset``, labels compared.

    Builds the data set class on a converted split and compares every label with ``labels`` (name ->
    array).
    """
    return _check_loads_labels


def _check_loads_labels(root, dataset_type, labels, split='test'):
    """Build ``dataset_type`` on ``root``'s split and compare every label with ``labels``."""
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='PackSegInputs'),
    ]
    ds = DATASETS.build(
        dict(
            type=dataset_type,
            data_root=root,
            pipeline=pipeline,
            data_prefix=dict(img_path=f'images/{split}', seg_map_path=f'annotations/{split}'),
        )
    )
    assert len(ds) == len(
        [n for n in labels if osp.isfile(osp.join(root, 'images', split, f'{n}.jpg'))]
    )
    for i in range(len(ds)):
        sample = ds[i]['data_samples']
        name = osp.splitext(osp.basename(sample.img_path))[0]
        assert np.array_equal(sample.gt_sem_seg.data.numpy()[0], labels[name])
    return ds


@pytest.fixture
def tool_main(repo_root):
    """Run ``tools/<tool>``'s ``main`` in this process (``rednet_mmseg.testing.tool_runner``)."""
    from rednet_mmseg.testing.tool_runner import run_tool

    return lambda tool, *args: run_tool(repo_root, tool, *args)


@pytest.fixture
def python_process(repo_root):
    """``python *args`` in the repository as a subprocess (``tool_runner.run_process``)."""
    from rednet_mmseg.testing.tool_runner import run_process

    return lambda *args, **kwargs: run_process(repo_root, *args, **kwargs)
