"""Convert LFW Part Labels (Kae et al. 2013) to the tree LFWPartLabelsDataset reads.

Usage:
    python tools/dataset_converters/lfw.py SRC -o data/lfw [--unknown-color error|ignore]

SRC holds lfw_funneled/, parts_lfw_funneled_gt_images/ and parts_{train,validation,test}.txt. A
label pixel that is not pure red/green/blue is an error naming the file and the pixel, unless
--unknown-color ignore maps such pixels to 255 (ignored). SRC is read only; OUT is written
atomically. An existing OUT is replaced only when it is empty or a previous conversion (it holds
rednet_conversion.json), or with --overwrite; an OUT that contains SRC is always refused.
"""

import argparse
import sys

from rednet_mmseg.datasets.converters import ConversionError, convert_lfw


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src')
    parser.add_argument('-o', '--out-dir', default='data/lfw')
    parser.add_argument('--unknown-color', choices=['error', 'ignore'], default='error')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace an existing output folder that is not a previous conversion (never one '
        'that contains SRC)',
    )
    args = parser.parse_args()
    try:
        counts = convert_lfw(
            args.src, args.out_dir, overwrite=args.overwrite, unknown=args.unknown_color
        )
    except ConversionError as err:
        sys.exit(f'error: {err}')
    print(
        f'LFW-PL written to {args.out_dir}: '
        + ', '.join(f'{k} {v}' for k, v in counts.items())
        + ' images'
    )


if __name__ == '__main__':
    main()
