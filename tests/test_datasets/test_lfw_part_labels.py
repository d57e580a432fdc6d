"""LFWPartLabelsDataset loads the converted LFW-PL tree: 3 classes, colours as released."""

from rednet_mmseg.datasets import LFWPartLabelsDataset


def test_loads_converted_tree(converted_roots, lfw_release, check_loads_labels):
    ds = check_loads_labels(
        converted_roots['LFWPartLabelsDataset'], 'LFWPartLabelsDataset', lfw_release[2]
    )
    assert isinstance(ds, LFWPartLabelsDataset)
    assert ds.metainfo['classes'] == ('background', 'skin', 'hair')
    assert len(ds.metainfo['palette']) == 3
