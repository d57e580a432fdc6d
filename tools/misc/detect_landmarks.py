"""Detect the 5 face landmarks of photos and write the table that parse_faces.py reads.

Usage:
    python tools/misc/detect_landmarks.py IMAGES_OR_DIRS_OR_GLOBS... -o TABLE
        [--upsample auto] [--no-cnn] [--raw] [--select largest|central] [--points 5|68]
        [--workers N] [--no-progress]

TABLE gets one line per image: ``<image name> x1 y1 x2 y2 x3 y3 x4 y4 x5 y5`` (left and right
eye centre, nose tip, left and right mouth corner, image-left first, in pixels, in the Helen
converter's convention). Several faces in a photo: the largest (or, with --select central,
the one nearest the image centre) is used and a note says so. With ``--points 68`` each line
holds the shape predictor's 68 iBUG points instead (``x1 y1 ... x68 y68``): the table that
``LoadFaceLandmarks(dense=True, dense_landmarks_file=...)`` and ``build_prior_bank.py
--dense-landmarks`` read for the dense prior.
No face: a named image stops the tool with an error naming it; images of a folder or glob are
skipped with a warning that lists them. The table is written only at the end, whole.
``--workers`` photos are searched at once (threads; the same table as one at a time).
"""

import argparse
import os.path as osp
import sys

from rednet_mmseg.apis import expand_inputs
from rednet_mmseg.apis.detect_files import detect_landmark_table
from rednet_mmseg.apis.tool_args import (
    add_detector_arguments,
    add_workers_argument,
    detector_from_args,
    report_detection,
    workers_from_args,
)
from rednet_mmseg.datasets.landmark_table import write_landmark_table
from rednet_mmseg.datasets.sample_check import BadSampleError, check_sample
from rednet_mmseg.utils.output_dir import OutputDirError, check_output_dir


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('inputs', nargs='+', help='image files, folders or quoted globs')
    parser.add_argument('-o', '--out', required=True, help='landmark table to write')
    add_detector_arguments(parser)
    parser.add_argument(
        '--raw', action='store_true', help="dlib's own points, without the Helen-convention offsets"
    )
    parser.add_argument(
        '--select',
        choices=['largest', 'central'],
        default='largest',
        help='the face of a photo with several: the largest (default) or the one nearest the '
        "image centre (photos cut around one face, as Helen's are)",
    )
    parser.add_argument(
        '--points',
        type=int,
        choices=[5, 68],
        default=5,
        help='5 key points (default) or the 68 iBUG points of the dense prior',
    )
    add_workers_argument(parser)
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bar')
    args = parser.parse_args(argv)
    try:
        paths, from_patterns = expand_inputs(args.inputs)
        for p in paths:  # corrupt or truncated images fail before any work
            check_sample(p, None, num_classes=0)
        if osp.isdir(args.out):
            raise OutputDirError(f'-o {args.out}: is a directory; give a file name')
        check_output_dir(osp.dirname(osp.abspath(args.out)), '-o')
        detector = detector_from_args(args, helen_convention=not args.raw)
        table = report_detection(
            *detect_landmark_table(
                paths,
                detector=detector,
                may_skip=from_patterns,
                progress=not args.no_progress,
                select=args.select,
                points=args.points,
                workers=workers_from_args(args),
            )
        )
    except (FileNotFoundError, ValueError, BadSampleError, OutputDirError, ImportError) as err:
        raise SystemExit(f'error: {err}')
    write_landmark_table(args.out, table)
    print(f'{len(table)} image(s): landmarks written to {args.out}')


if __name__ == '__main__':
    sys.exit(main())
