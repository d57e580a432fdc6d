"""Stack the painted test results of `tools/test.py --show-dir` into one picture.

Usage: python tools/analysis_tools/montage.py SHOW_DIR -o predictions.png [--max 8]
Each row is one test image as mmseg's SegLocalVisualizer paints it: ground truth on the left,
prediction on the right.
"""

import argparse
import glob
import os.path as osp

import cv2
import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('show_dir')
    parser.add_argument('-o', '--out', required=True)
    parser.add_argument('--max', type=int, default=8, help='number of rows')
    parser.add_argument('--width', type=int, default=512, help='row width in pixels')
    args = parser.parse_args()
    paths = sorted(glob.glob(osp.join(args.show_dir, '**', '*.png'), recursive=True))
    if not paths:
        raise SystemExit(f'error: {args.show_dir}: no painted results (*.png) found')
    rows = []
    for p in paths[: args.max]:
        img = cv2.imread(p)
        h = round(img.shape[0] * args.width / img.shape[1])
        rows.append(cv2.resize(img, (args.width, h), interpolation=cv2.INTER_NEAREST))
    cv2.imwrite(args.out, np.concatenate(rows, axis=0))
    print(f'{len(rows)} results (ground truth | prediction) written to {args.out}')


if __name__ == '__main__':
    main()
