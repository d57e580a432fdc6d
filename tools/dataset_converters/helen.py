"""Convert the original Helen release to the tree HelenDataset reads.

Usage:
    python tools/dataset_converters/helen.py SRC -o data/helen [--split smith|paper]
        [--landmarks DIR] [--original-images DIR] [--no-landmarks]

Helen's 194-point files are at the original photos' resolution, the release's images are
resized: each image's ratio is read from its original photo (--original-images, exact) or
fitted to its label maps (default), checked, and summarised at the end.

SRC is read only; OUT is written atomically (a failed run leaves no partial tree). An existing
OUT is replaced only when it is empty or a previous conversion (it holds rednet_conversion.json),
or with --overwrite; an OUT that contains SRC is always refused.
"""

import argparse
import sys

import numpy as np

from rednet_mmseg.datasets.converters import ConversionError, convert_helen
from rednet_mmseg.datasets.converters.helen import HELEN_5POINT_DOC, SPLITS


def parse_args():
    parser = argparse.ArgumentParser(
        description='Convert Helen (Smith et al. 2013) to an mmseg tree',
        epilog='Landmarks: ' + HELEN_5POINT_DOC,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument('src', help='Helen release (images/, labels/, exemplars.txt, ...)')
    parser.add_argument('-o', '--out-dir', default='data/helen', help='output directory')
    parser.add_argument(
        '--split',
        choices=SPLITS,
        default='smith',
        help='smith: 2000/230/100 as released (default); paper: RED-Net / '
        'Liu et al. 2015 regrouping (train = all non-test, val = tuning)',
    )
    parser.add_argument('--landmarks', help='194-point landmark folder (default: SRC/annotation)')
    parser.add_argument(
        '--original-images',
        help="the release's original photos (Helen's helen_1..5 folders, "
        'searched recursively): exact landmark ratios; default: fitted to '
        'the label maps',
    )
    parser.add_argument(
        '--no-landmarks',
        action='store_true',
        help='do not write 5-point landmarks (the adaptive prior needs them)',
    )
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace an existing output folder that is not a previous conversion (never one '
        'that contains SRC)',
    )
    return parser.parse_args()


def ratio_summary(report: dict) -> str:
    """One paragraph on the landmark ratios used (see landmarks/ratios.txt for each image)."""
    ratios = np.array([r['ratio'] for r in report.values()])
    errors = np.array([r['error_px'] for r in report.values()])
    sources = sorted({r['source'] for r in report.values()})
    worst = max(report, key=lambda n: report[n]['error_px'])
    return (
        f'landmark ratio (original / resized, {" + ".join(sources)}) for {len(ratios)} '
        f'images: min {ratios.min():.3f}, median {np.median(ratios):.3f}, max '
        f'{ratios.max():.3f}; {int((np.abs(ratios - 1) < 1e-6).sum())} already at image '
        f'resolution; contour-to-label distance median {np.median(errors):.2f} px, worst '
        f'{errors.max():.2f} px ({worst})'
    )


def main():
    args = parse_args()
    report = {}
    try:
        counts = convert_helen(
            args.src,
            args.out_dir,
            split=args.split,
            landmark_dir=args.landmarks,
            with_landmarks=not args.no_landmarks,
            original_images=args.original_images,
            landmark_report=report,
            overwrite=args.overwrite,
        )
    except ConversionError as err:
        sys.exit(f'error: {err}')
    if report:
        print(ratio_summary(report))
    summary = ', '.join(f'{k} {v}' for k, v in counts.items())
    print(f'Helen ({args.split} split) written to {args.out_dir}: {summary} images')


if __name__ == '__main__':
    main()
