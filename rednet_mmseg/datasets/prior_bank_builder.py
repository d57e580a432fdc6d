"""Build the adaptive-prior bank of a converted data set (paper Eq. 5), as a library call.

``tools/misc/build_prior_bank.py`` parses arguments and calls :func:`build_prior_bank`; the
tests and benchmarks call it directly.
"""

import os.path as osp
import time
from typing import Optional, Sequence, Tuple

import cv2

from .landmark_table import read_landmark_table
from .prior_bank import NUM_DENSE_POINTS, PriorBank, load_split
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
    dense_landmarks: Optional[str] = None,
) -> Tuple[PriorBank, str, float]:
    """Fit the bank on ``bank_split`` and precompute the neighbours of every image of ``splits``.

    Reads ``data_root/annotations/<split>/*.png`` and ``data_root/landmarks/<split>/*.txt`` as the
    converters write them; a bank image never counts as its own neighbour. With
    ``dense_landmarks`` (a 68-point table, ``tools/misc/detect_landmarks.py --points 68``) the
    bank keeps each bank image's 68 points for the dense prior; an image missing from it is an
    error naming the table.

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
    dense = None
    if dense_landmarks is not None:
        table = read_landmark_table(dense_landmarks, NUM_DENSE_POINTS)
        missing = [n for n in names if n not in table]
        if missing:
            raise ValueError(
                f'{dense_landmarks}: no 68 points for {len(missing)} {bank_split} image(s), '
                f'e.g. {", ".join(missing[:3])}'
            )
        dense = [table[n] for n in names]
    bank = PriorBank.build(
        names,
        labels,
        landmarks,
        num_classes,
        canvas,
        progress=lambda it: bar(it, 'align bank'),
        dense_landmarks=dense,
    )
    for split in splits:
        s_names, _, s_lm = load_split(data_root, split)
        pts = [read_landmarks(p) for p in bar(s_lm, f'landmarks {split}')]
        bank.precompute_neighbours(s_names, pts, num_neighbors)
    bank.save(out)
    return bank, out, time.perf_counter() - start
