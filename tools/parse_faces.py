# Copyright (c) rednet-mmseg. Face parsing of your own images with a trained checkpoint.
"""Parse faces in images, folders or globs; write label maps, colour overlays and a legend.

    python tools/parse_faces.py CONFIG CHECKPOINT INPUT [INPUT ...] --out-dir OUT
        [--landmarks LANDMARKS.txt] [--prior-bank BANK.npz] [--device cpu] [--opacity 0.6]

Writes ``OUT/pred/<image>.png`` (uint8 class indices at the image's resolution),
``OUT/vis/<image file>`` (prediction drawn over the image) and ``OUT/legend.png``. Configs with
the adaptive prior need ``--landmarks``: a text file of lines ``<image> x1 y1 ... x5 y5`` (eye
centres, nose tip, mouth corners, in pixels). Every input is checked before any output is
written.
"""
import argparse
import glob
import os
import os.path as osp
import sys

import cv2

import rednet_mmseg  # noqa: F401  (registers the components, applies upstream workarounds)
from rednet_mmseg.apis import FaceParsingInferencer
from rednet_mmseg.datasets.sample_check import BadSampleError, check_sample
from rednet_mmseg.datasets.transforms.loading import read_landmark_table
from rednet_mmseg.utils.output_dir import OutputDirError, check_output_dir
from rednet_mmseg.visualization import draw_legend

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.ppm', '.tif', '.tiff', '.webp')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file (loaded weights-only)')
    parser.add_argument('inputs', nargs='+', help='image files, folders or quoted globs')
    parser.add_argument('--out-dir', required=True, help='output directory')
    parser.add_argument('--landmarks', help='landmark table for configs with the prior')
    parser.add_argument('--prior-bank', help='prior bank .npz (default: the config\'s)')
    parser.add_argument('--device', default=None, help='cpu, cuda or cuda:N (default: auto)')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument('--opacity', type=float, default=0.6, help='overlay opacity (0-1)')
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bar')
    return parser.parse_args(argv)


def expand_inputs(inputs):
    """Image paths from files, folders (not recursive) and glob patterns, in a stable order."""
    paths = []
    for item in inputs:
        if osp.isdir(item):
            found = sorted(osp.join(item, f) for f in os.listdir(item)
                           if f.lower().endswith(IMG_EXTENSIONS))
        elif osp.isfile(item):
            found = [item]
        else:
            found = sorted(p for p in glob.glob(item, recursive=True)
                           if osp.isfile(p) and p.lower().endswith(IMG_EXTENSIONS))
        if not found:
            raise FileNotFoundError(f'{item}: no such image, folder or matching glob')
        paths += found
    stems = {}
    for p in paths:  # outputs are named after the image: two images may not share a name
        stem = osp.splitext(osp.basename(p))[0]
        if stems.setdefault(stem, p) != p:
            raise ValueError(f'{p} and {stems[stem]}: two inputs named {stem}; their label '
                             'maps would overwrite each other')
    return paths


def main(argv=None):
    args = parse_args(argv)
    try:
        paths = expand_inputs(args.inputs)
        for p in paths:  # corrupt or truncated images fail here, before anything is written
            check_sample(p, None, num_classes=0)
        if args.landmarks:
            table = read_landmark_table(args.landmarks)
            missing = [p for p in paths if osp.splitext(osp.basename(p))[0] not in table]
            if missing:
                raise ValueError(f'{args.landmarks}: no landmarks for {len(missing)} input(s), '
                                 f'e.g. {missing[0]}')
        inferencer = FaceParsingInferencer(args.config, args.checkpoint,
                                           landmarks_file=args.landmarks,
                                           prior_bank=args.prior_bank, device=args.device)
        if inferencer.uses_prior and not args.landmarks:
            raise ValueError(f'{args.config} uses the adaptive prior: give --landmarks FILE '
                             'with lines "<image> x1 y1 ... x5 y5"')
        out_dir = check_output_dir(args.out_dir, '--out-dir')
    except (FileNotFoundError, ValueError, BadSampleError, OutputDirError) as err:
        raise SystemExit(f'error: {err}')
    inferencer.show_progress = not args.no_progress
    inferencer(paths, batch_size=args.batch_size, out_dir=out_dir, opacity=args.opacity)
    meta = inferencer.model.dataset_meta
    cv2.imwrite(osp.join(out_dir, 'legend.png'), draw_legend(meta['classes'], meta['palette']))
    print(f'{len(paths)} image(s) parsed: label maps in {osp.join(out_dir, "pred")}, overlays '
          f'in {osp.join(out_dir, "vis")}, legend {osp.join(out_dir, "legend.png")}')


if __name__ == '__main__':
    sys.exit(main())
