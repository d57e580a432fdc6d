"""build_prior_bank: the library call behind tools/misc/build_prior_bank.py."""

import os

import pytest

from rednet_mmseg.datasets import PriorBank
from rednet_mmseg.datasets.prior_bank_builder import build_prior_bank


def test_bank_of_a_converted_data_set(helen_converted, tmp_path):
    out = str(tmp_path / 'bank.npz')
    bank, written, seconds = build_prior_bank(helen_converted, out, num_neighbors=2)
    assert written == out and seconds > 0
    loaded = PriorBank.load(out)
    n = sum(len(os.listdir(os.path.join(helen_converted, 'annotations', s))) for s in
            ('train', 'val', 'test'))  # fmt: skip
    assert len(loaded.neighbours) == len(bank.neighbours) == n
    assert loaded.names == bank.names  # the val split: the bank images


def test_missing_split_is_named(helen_converted, tmp_path):
    with pytest.raises(FileNotFoundError, match="no annotations for split 'nope'"):
        build_prior_bank(helen_converted, str(tmp_path / 'b.npz'), bank_split='nope')
