import os.path as osp
import subprocess
import sys

import pytest
from mmengine.registry import init_default_scope

import rednet_mmseg  # noqa: F401  (registers components, applies upstream workarounds)
from rednet_mmseg.datasets.converters import convert_helen
from rednet_mmseg.testing import make_synthetic_helen

init_default_scope('mmseg')  # as a Runner would: mmseg's transforms, not mmcv's
REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='session')
def helen_release(tmp_path_factory):
    """A small synthetic Helen release in the original format: (root, names, labels)."""
    root = str(tmp_path_factory.mktemp('helen_release'))
    names, labels = make_synthetic_helen(root, num_train=6, num_val=3, num_test=3, seed=3,
                                         size_range=(90, 130))
    return root, names, labels


@pytest.fixture(scope='session')
def helen_converted(helen_release, tmp_path_factory):
    """The release above converted with the real converter (Smith split)."""
    out = str(tmp_path_factory.mktemp('helen_converted') / 'helen')
    convert_helen(helen_release[0], out, progress=False)
    # the adaptive prior's bank, as tools/misc/build_prior_bank.py writes it
    subprocess.run([sys.executable, osp.join(REPO, 'tools/misc/build_prior_bank.py'), out],
                   check=True, capture_output=True)
    return out


@pytest.fixture(scope='session')
def repo_root():
    return REPO
