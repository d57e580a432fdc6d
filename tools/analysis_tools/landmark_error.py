"""Measure the 5-point landmark detector against a converted data set's landmarks.

    python tools/analysis_tools/landmark_error.py data/helen [--split test train]
        [--raw] [--no-cnn] [--threads 1]

Prints the detection rate, how often the largest face is the annotated one, the mean error
of each point in inter-ocular distances (IOD) and the seconds per image. ``--raw`` leaves out
the Helen-convention offsets and prints each point's mean offset in the face frame (eye axis,
perpendicular down the face): the numbers of ``HELEN_OFFSETS`` in
``rednet_mmseg/apis/five_points.py``.
"""

import argparse
import glob
import os.path as osp
import time

import cv2
import numpy as np
import torch
from tqdm import tqdm

from rednet_mmseg.apis.landmark_detector import NoFaceError
from rednet_mmseg.apis.tool_args import add_detector_arguments, detector_from_args

POINTS = ('left eye', 'right eye', 'nose tip', 'left mouth', 'right mouth')


def face_frame_offsets(points: np.ndarray, truth: np.ndarray):
    """``(5, 2)`` errors in IOD along (eye axis, perpendicular) and ``(5,)`` distances."""
    u = truth[1] - truth[0]
    iod = np.linalg.norm(u)
    u = u / iod
    v = np.array([-u[1], u[0]])
    d = points - truth
    return np.stack([d @ u, d @ v], 1) / iod, np.linalg.norm(d, axis=1) / iod


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('data_root', help='converted data set (images/, landmarks/)')
    parser.add_argument('--split', nargs='+', default=['test'])
    parser.add_argument('--raw', action='store_true', help='without the Helen offsets')
    parser.add_argument('--threads', type=int, default=1)
    add_detector_arguments(parser)  # --upsample, --no-cnn: as the parsing tools
    parser.add_argument(
        '--select',
        choices=['largest', 'central'],
        default='largest',
        help='which face of a photo with several (central: nearest the image centre)',
    )
    parser.add_argument(
        '--wrong-face',
        type=float,
        default=0.5,
        help='mean error (IOD) above which the chosen face counts as '
        'another face than the annotated one',
    )
    return parser.parse_args()


def _report(args, paths, rows, missed, other, cnn, seconds) -> None:
    """Print detection rate, wrong faces, speed and the per-point errors."""
    n = len(paths)
    print(
        f'{n} images ({", ".join(args.split)}): face found in {n - len(missed)} '
        f'({100 * (n - len(missed)) / n:.1f} %, {cnn} by the CNN fallback); the {args.select} '
        f'face is another than the annotated one in {len(other)}; {seconds / n:.3f} s per image '
        f'({args.threads} thread(s))'
    )
    if missed:
        print('no face:', ' '.join(missed))
    offsets = np.array([r[0] for r in rows])
    dist = np.array([r[1] for r in rows])
    print(
        f'mean error on the {len(rows)} annotated faces found (IOD; '
        f'{"raw" if args.raw else "Helen convention"}):'
    )
    for i, p in enumerate(POINTS):
        print(
            f'  {p:12s} {dist[:, i].mean():.3f}   mean offset (eye axis, down) '
            f'{offsets[:, i, 0].mean():+.3f} {offsets[:, i, 1].mean():+.3f}'
        )
    print(f'  {"all":12s} {dist.mean():.3f}')
    everyone = np.concatenate([dist.mean(1), [o[1].mean() for o in other]])
    print(
        f'mean error over all {len(everyone)} faces found, wrong ones included: '
        f'{everyone.mean():.3f}'
    )


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    cv2.setNumThreads(args.threads)
    det = detector_from_args(args, helen_convention=not args.raw)
    rows, missed, other, cnn, seconds = [], [], [], 0, 0.0
    paths = sorted(
        p for s in args.split for p in glob.glob(osp.join(args.data_root, 'images', s, '*.jpg'))
    )
    for path in tqdm(paths, unit='img'):
        split, name = osp.basename(osp.dirname(path)), osp.splitext(osp.basename(path))[0]
        truth = np.loadtxt(osp.join(args.data_root, 'landmarks', split, name + '.txt'))
        img = cv2.imread(path)
        t = time.perf_counter()
        try:
            found = det.detect(img, name=path, select=args.select)
        except NoFaceError:
            missed.append(name)
            continue
        finally:
            seconds += time.perf_counter() - t
        cnn += found.detector == 'cnn'
        offsets, dist = face_frame_offsets(found.points, truth)
        (other if dist.mean() > args.wrong_face else rows).append((offsets, dist))
    _report(args, paths, rows, missed, other, cnn, seconds)


if __name__ == '__main__':
    main()
