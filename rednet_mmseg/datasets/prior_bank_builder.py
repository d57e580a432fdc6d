"""Build the adaptive-prior bank of a converted data set (paper Eq. 5), as a library call.

``tools/misc/build_prior_bank.py`` parses arguments and calls :func:`build_prior_bank`; the
tests and benchmarks call it directly.
"""

import os.path as osp
import time
from typing import Sequence, Tuple

import cv2

from .prior_bank import PriorBank, load_split
from .transforms.loading import read_landmarks


def build_prior_bank(
    data_root: str,
    out: str = None,
    bank_split: str = 'val',
    splits: Sequence[str] = ('train', 'val', 'test'),
    num_neighbors: int = 5,
    num_classes: int = 11,
    canvas: int = 128,
    progress: bool = False,
) -> Tuple[PriorBank, str, float]:
    """Fit the bank on ``bank_split`` and precompute the neighbours of every image of ``splits``.

    Reads ``data_root/annotations/<split>/*.png`` and ``data_root/landmarks/<split>/*.txt`` as the
    converters write them; a bank image never counts as its own neighbour.

    Returns:
        ``(bank, out, seconds)``: the bank, where it was written (default
        ``data_root/prior_bank.npz``) and how long it took.

    Raises:
        FileNotFoundError / ValueError: a missing split or an unreadable file, named.
    """
    from tqdm import tqdm

    def bar(it, desc):
        return tqdm(it, desc=desc, unit='img', disable=not progress)

    out = out or osp.join(data_root, 'prior_bank.npz')
    start = time.perf_counter()
    names, label_paths, lm_paths = load_split(data_root, bank_split)
    labels = []
    for p in bar(label_paths, f'read {bank_split}'):
        label = cv2.imread(p, cv2.IMREAD_UNCHANGED)
        if label is None:
            raise ValueError(f'{p}: unreadable label map')
        labels.append(label)
    landmarks = [read_landmarks(p) for p in lm_paths]
    bank = PriorBank.build(
        names, labels, landmarks, num_classes, canvas, progress=lambda it: bar(it, 'align bank')
    )
    for split in splits:
        s_names, _, s_lm = load_split(data_root, split)
        pts = [read_landmarks(p) for p in bar(s_lm, f'landmarks {split}')]
        bank.precompute_neighbours(s_names, pts, num_neighbors)
    bank.save(out)
    return bank, out, time.perf_counter() - start
