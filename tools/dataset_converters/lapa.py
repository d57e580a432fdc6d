"""Convert LaPa (Liu et al. 2020) to the tree LaPaDataset reads.

Usage: python tools/dataset_converters/lapa.py SRC -o data/lapa

SRC holds {train,val,test}/{images,labels,landmarks}. The 106 landmarks become 5 key points
(pupils 104/105, nose tip 46, mouth corners 84/90). SRC is read only; OUT is written atomically.
An existing OUT is replaced only when it is empty or a previous conversion (it holds
rednet_conversion.json), or with --overwrite; an OUT that contains SRC is always refused.
"""

import argparse
import sys

from rednet_mmseg.datasets.converters import ConversionError, convert_lapa


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src')
    parser.add_argument('-o', '--out-dir', default='data/lapa')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace an existing output folder that is not a previous conversion (never one '
        'that contains SRC)',
    )
    args = parser.parse_args()
    try:
        counts = convert_lapa(args.src, args.out_dir, overwrite=args.overwrite)
    except ConversionError as err:
        sys.exit(f'error: {err}')
    print(
        f'LaPa written to {args.out_dir}: '
        + ', '.join(f'{k} {v}' for k, v in counts.items())
        + ' images'
    )


if __name__ == '__main__':
    main()
