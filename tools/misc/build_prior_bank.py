"""Build the adaptive-prior bank of a converted data set once (paper Eq. 5).

Usage:
    python tools/misc/build_prior_bank.py DATA_ROOT [-o DATA_ROOT/prior_bank.npz]
        [--bank-split val] [--splits train val test] [--num-neighbors 5] [--canvas 128]
        [--dense-landmarks TABLE]

Reads DATA_ROOT/annotations/<split>/*.png and DATA_ROOT/landmarks/<split>/*.txt as written by
the converters. The bank (PCA of the bank split's 5-point shapes and its aligned label maps)
is fitted on --bank-split (the paper uses the validation set); the neighbours of every image of
--splits are precomputed (a bank image never counts as its own neighbour), so training only
averages and warps maps. With --dense-landmarks (a 68-point table from
``tools/misc/detect_landmarks.py --points 68``) the bank also keeps each bank image's 68 points,
for the dense prior (``LoadFacePrior(dense=True)``).
"""

import argparse

from rednet_mmseg.datasets.prior_bank_builder import build_prior_bank


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data_root')
    parser.add_argument('-o', '--out', help='default: DATA_ROOT/prior_bank.npz')
    parser.add_argument('--bank-split', default='val')
    parser.add_argument('--splits', nargs='+', default=['train', 'val', 'test'])
    parser.add_argument('--num-neighbors', type=int, default=5)
    parser.add_argument('--num-classes', type=int, default=11)
    parser.add_argument('--canvas', type=int, default=128, help='canonical frame size')
    parser.add_argument(
        '--dense-landmarks', help="68-point table: keep the bank images' 68 points (dense prior)"
    )
    args = parser.parse_args()
    try:
        bank, out, took = build_prior_bank(
            args.data_root,
            args.out,
            args.bank_split,
            args.splits,
            args.num_neighbors,
            args.num_classes,
            args.canvas,
            progress=True,
            dense_landmarks=args.dense_landmarks,
        )
    except (FileNotFoundError, ValueError) as err:
        raise SystemExit(f'error: {err}') from None
    n = len(bank.neighbours)
    print(
        f'prior bank of {len(bank.names)} {args.bank_split} images ({bank.components.shape[0]} '
        f'PCA components), neighbours of {n} images, written to {out} in '
        f'{took:.1f} s ({1000 * took / max(n, 1):.1f} s per 1000 images)'
        + (', with 68-point shapes (dense prior)' if bank.has_dense else '')
    )


if __name__ == '__main__':
    main()
