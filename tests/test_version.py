"""The package version is the one pip installed."""

from importlib.metadata import version

import rednet_mmseg


def test_version_matches_the_installed_distribution():
    assert rednet_mmseg.__version__ == version('rednet-mmseg')
    assert all(p.isdigit() for p in rednet_mmseg.__version__.split('.'))
