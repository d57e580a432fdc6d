"""Write a SYNTHETIC face data set in the original Helen release format.

Usage: python tools/misc/make_synthetic_helen.py OUT [--num-train 160 --num-val 24 ...]
The result is converted like real Helen: python tools/dataset_converters/helen.py OUT -o ...
"""

import argparse

from rednet_mmseg.testing import make_synthetic_helen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out', help='directory of the synthetic release')
    parser.add_argument('--num-train', type=int, default=160)
    parser.add_argument('--num-val', type=int, default=24)
    parser.add_argument('--num-test', type=int, default=24)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    names, _ = make_synthetic_helen(
        args.out, args.num_train, args.num_val, args.num_test, seed=args.seed
    )
    print(
        f'SYNTHETIC Helen-format release written to {args.out}: '
        + ', '.join(f'{k} {len(v)}' for k, v in names.items())
        + ' images'
    )


if __name__ == '__main__':
    main()
