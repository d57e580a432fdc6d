"""CelebAMaskHQDataset loads the converted tree: 19 classes, names = the release's masks."""

from rednet_mmseg.datasets import CelebAMaskHQDataset
from rednet_mmseg.datasets.celebamask_hq import CELEBAMASK_CLASSES


def test_loads_converted_tree(converted_roots, celebamask_release, check_loads_labels):
    ds = check_loads_labels(
        converted_roots['CelebAMaskHQDataset'],
        'CelebAMaskHQDataset',
        {str(k): v for k, v in celebamask_release[2].items()},
    )
    assert isinstance(ds, CelebAMaskHQDataset)
    assert ds.metainfo['classes'] == CELEBAMASK_CLASSES and len(CELEBAMASK_CLASSES) == 19
    assert len(ds.metainfo['palette']) == 19
