"""Class weights for the cross-entropy from a converted data set's label frequencies.

Usage:
    python tools/analysis_tools/class_weights.py DATA_ROOT [--split train] [--power 0.5]

Reads ``DATA_ROOT/annotations/<split>/*.png`` (label maps as written by the converters; 255 =
ignored), counts each class's pixels and prints ``w_c = f_c ** -power`` normalised so that the
average weight per labelled pixel is 1 (the loss keeps its scale), as a config line for
``loss_decode=dict(type='CrossEntropyLoss', class_weight=[...])``. Face parts are tiny (on the
real-photo Helen-format set brows and eyes are 0.1-0.2 % of the pixels each), so unweighted,
a network learns background, skin and hair first and the parts last.
"""

import argparse
import glob
import os.path as osp

from rednet_mmseg.datasets.class_statistics import class_weights


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data_root')
    parser.add_argument('--split', default='train')
    parser.add_argument('--num-classes', type=int, default=11)
    parser.add_argument('--power', type=float, default=0.5, help='w = frequency ** -power')
    args = parser.parse_args(argv)
    files = sorted(glob.glob(osp.join(args.data_root, 'annotations', args.split, '*.png')))
    if not files:
        raise SystemExit(f'error: no label maps in {args.data_root}/annotations/{args.split}/')
    try:
        freq, weights = class_weights(files, args.num_classes, args.power)
    except ValueError as err:
        raise SystemExit(f'error: {err}')
    print('pixel share (%):', ', '.join(f'{100 * f:.2f}' for f in freq))
    print('class_weight=[' + ', '.join(f'{w:.2f}' for w in weights) + ']')


if __name__ == '__main__':
    main()
