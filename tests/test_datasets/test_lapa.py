"""LaPaDataset loads the converted LaPa tree: Helen's 11 classes in Helen's order."""

from rednet_mmseg.datasets import HelenDataset, LaPaDataset


def test_loads_converted_tree(converted_roots, lapa_release, check_loads_labels):
    ds = check_loads_labels(converted_roots['LaPaDataset'], 'LaPaDataset', lapa_release[2])
    assert isinstance(ds, LaPaDataset)
    assert len(ds.metainfo['classes']) == len(HelenDataset.METAINFO['classes']) == 11
