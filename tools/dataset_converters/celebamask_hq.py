"""Convert CelebAMask-HQ (Lee et al. 2020) to the tree CelebAMaskHQDataset reads.

Usage:
    python tools/dataset_converters/celebamask_hq.py SRC -o data/celebamask_hq
        [--partition /path/to/list_eval_partition.txt]

SRC holds CelebA-HQ-img/, CelebAMask-HQ-mask-anno/ and CelebA-HQ-to-CelebA-mapping.txt; the
official split comes from CelebA's list_eval_partition.txt (default
SRC/list_eval_partition.txt). Images are resized to the masks' 512x512. SRC is read only; OUT is
written atomically. An existing OUT is replaced only when it is empty or a previous conversion
(it holds rednet_conversion.json), or with --overwrite; an OUT that contains SRC is always
refused.
"""

import argparse
import sys

from rednet_mmseg.datasets.converters import ConversionError, convert_celebamask_hq


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src')
    parser.add_argument('-o', '--out-dir', default='data/celebamask_hq')
    parser.add_argument('--partition', help='CelebA list_eval_partition.txt')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace an existing output folder that is not a previous conversion (never one '
        'that contains SRC)',
    )
    args = parser.parse_args()
    try:
        counts = convert_celebamask_hq(
            args.src, args.out_dir, overwrite=args.overwrite, partition=args.partition
        )
    except ConversionError as err:
        sys.exit(f'error: {err}')
    print(
        f'CelebAMask-HQ written to {args.out_dir}: '
        + ', '.join(f'{k} {v}' for k, v in counts.items())
        + ' images'
    )


if __name__ == '__main__':
    main()
