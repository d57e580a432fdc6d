"""Convert the original Helen release to the tree HelenDataset reads.

Usage:
    python tools/dataset_converters/helen.py SRC -o data/helen [--split smith|paper]
        [--landmarks DIR | --no-landmarks]

SRC is read only; OUT is written atomically (a failed run leaves no partial tree) and may be
re-created by running again.
"""
import argparse
import sys

from rednet_mmseg.datasets.converters import ConversionError, convert_helen
from rednet_mmseg.datasets.converters.helen import HELEN_5POINT_DOC, SPLITS


def parse_args():
    parser = argparse.ArgumentParser(
        description='Convert Helen (Smith et al. 2013) to an mmseg tree',
        epilog='Landmarks: ' + HELEN_5POINT_DOC,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('src', help='Helen release (images/, labels/, exemplars.txt, ...)')
    parser.add_argument('-o', '--out-dir', default='data/helen', help='output directory')
    parser.add_argument('--split', choices=SPLITS, default='smith',
                        help='smith: 2000/230/100 as released (default); paper: RED-Net / '
                        'Liu et al. 2015 regrouping (train = all non-test, val = tuning)')
    parser.add_argument('--landmarks', help='194-point landmark folder (default: SRC/annotation)')
    parser.add_argument('--no-landmarks', action='store_true',
                        help='do not write 5-point landmarks (the adaptive prior needs them)')
    return parser.parse_args()


def main():
    args = parse_args()
    try:
        counts = convert_helen(args.src, args.out_dir, split=args.split,
                               landmark_dir=args.landmarks,
                               with_landmarks=not args.no_landmarks)
    except ConversionError as err:
        sys.exit(f'error: {err}')
    summary = ', '.join(f'{k} {v}' for k, v in counts.items())
    print(f'Helen ({args.split} split) written to {args.out_dir}: {summary} images')


if __name__ == '__main__':
    main()
