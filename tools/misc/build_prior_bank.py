"""Build the adaptive-prior bank of a converted data set once (paper Eq. 5).

Usage:
    python tools/misc/build_prior_bank.py DATA_ROOT [-o DATA_ROOT/prior_bank.npz]
        [--bank-split val] [--splits train val test] [--num-neighbors 5] [--canvas 128]

Reads DATA_ROOT/annotations/<split>/*.png and DATA_ROOT/landmarks/<split>/*.txt as written by
the converters. The bank (PCA of the bank split's 5-point shapes and its aligned label maps)
is fitted on --bank-split (the paper uses the validation set); the neighbours of every image of
--splits are precomputed (a bank image never counts as its own neighbour), so training only
averages and warps maps.
"""

import argparse
import os.path as osp
import time

import cv2
from tqdm import tqdm

from rednet_mmseg.datasets.prior_bank import PriorBank, load_split
from rednet_mmseg.datasets.transforms.loading import read_landmarks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data_root')
    parser.add_argument('-o', '--out', help='default: DATA_ROOT/prior_bank.npz')
    parser.add_argument('--bank-split', default='val')
    parser.add_argument('--splits', nargs='+', default=['train', 'val', 'test'])
    parser.add_argument('--num-neighbors', type=int, default=5)
    parser.add_argument('--num-classes', type=int, default=11)
    parser.add_argument('--canvas', type=int, default=128, help='canonical frame size')
    args = parser.parse_args()
    out = args.out or osp.join(args.data_root, 'prior_bank.npz')

    start = time.perf_counter()
    names, label_paths, lm_paths = load_split(args.data_root, args.bank_split)
    labels = []
    for p in tqdm(label_paths, desc=f'read {args.bank_split}', unit='img'):
        label = cv2.imread(p, cv2.IMREAD_UNCHANGED)
        if label is None:
            raise SystemExit(f'error: {p}: unreadable label map')
        labels.append(label)
    landmarks = [read_landmarks(p) for p in lm_paths]
    bank = PriorBank.build(
        names,
        labels,
        landmarks,
        args.num_classes,
        args.canvas,
        progress=lambda it: tqdm(it, desc='align bank', unit='img'),
    )
    for split in args.splits:
        s_names, _, s_lm = load_split(args.data_root, split)
        pts = [read_landmarks(p) for p in tqdm(s_lm, desc=f'landmarks {split}', unit='img')]
        bank.precompute_neighbours(s_names, pts, args.num_neighbors)
    bank.save(out)
    took = time.perf_counter() - start
    print(
        f'prior bank of {len(names)} {args.bank_split} images ({bank.components.shape[0]} '
        f'PCA components), neighbours of {len(bank.neighbours)} images, written to {out} in '
        f'{took:.1f} s ({1000 * took / max(len(bank.neighbours), 1):.1f} s per 1000 images)'
    )


if __name__ == '__main__':
    main()
