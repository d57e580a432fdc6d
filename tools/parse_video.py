# Copyright (c) rednet-mmseg. Face parsing of a video or a camera (after mmseg's video_demo.py).
"""Parse every face of a video file or a camera stream into an overlay video.

    python tools/parse_video.py [CONFIG CHECKPOINT] VIDEO --out OUT.mp4
        [--frames-dir DIR] [--detect-every 5] [--smooth 0.6] [--select all|largest|central]
        [--max-faces N] [--min-face-size PX] [--max-frames N] [--opacity 0.6] [--device cpu]
        [--context 2.5] [--flip] [--upsample 1] [--no-cnn]

VIDEO is a file or a camera index (``0``). Without CONFIG and CHECKPOINT the model shipped with
the package is used. Faces are detected every ``--detect-every`` frames and tracked between
(optical flow), their key points smoothed over time (``--smooth``, 0 = off), and every face is
parsed in its own crop (``FaceParsingInferencer.parse_faces``; ``--flip`` also parses its
mirror image, at twice the model time). OUT gets the label maps drawn
over the frames; ``--frames-dir`` also gets each frame's label map (``000000.png``, ...). A
progress bar shows the frames per second, and the end prints the mean share of pixels whose
label changed from one frame to the next (flicker). A file that cannot be read, a codec that
cannot be opened or a missing camera stops the tool with an error naming it; OUT appears only
when the whole video is written.
"""

import argparse
import os
import os.path as osp
import sys
import tempfile
import time

import cv2
import numpy as np

import rednet_mmseg  # noqa: F401  (registers the components, applies upstream workarounds)
from rednet_mmseg.apis import FaceParsingInferencer, shipped_model
from rednet_mmseg.apis.landmark_detector import (
    SELECTIONS,
    add_detector_arguments,
    detector_from_args,
)
from rednet_mmseg.apis.multi_face import add_context_argument, add_flip_argument
from rednet_mmseg.utils.output_dir import probe_output_dir
from rednet_mmseg.visualization import blend_labels


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('inputs', nargs='+', metavar='[CONFIG CHECKPOINT] VIDEO')
    parser.add_argument('--out', required=True, help='overlay video to write (.mp4)')
    parser.add_argument('--frames-dir', help="also write each frame's label map here")
    parser.add_argument('--detect-every', type=int, default=5, help='detect faces every k frames')
    parser.add_argument('--smooth', type=float, default=0.6, help='key-point smoothing, 0 = off')
    parser.add_argument('--select', choices=SELECTIONS, default='all')
    parser.add_argument('--max-faces', type=int)
    parser.add_argument('--min-face-size', type=int, default=0)
    parser.add_argument('--max-frames', type=int, help='stop after this many frames')
    parser.add_argument('--opacity', type=float, default=0.6)
    add_context_argument(parser)
    add_flip_argument(parser, default=False)
    add_detector_arguments(parser)
    parser.add_argument('--prior-bank')
    parser.add_argument('--device', default=None)
    parser.add_argument('--no-progress', action='store_true')
    args = parser.parse_args(argv)
    if len(args.inputs) == 3:
        args.config, args.checkpoint, args.video = args.inputs
    elif len(args.inputs) == 1:
        args.config = args.checkpoint = None
        (args.video,) = args.inputs
    else:
        parser.error('give VIDEO, or CONFIG CHECKPOINT VIDEO')
    return args


def open_video(source: str) -> cv2.VideoCapture:
    """A capture that has delivered its first frame; errors name the file or camera."""
    if source.isdigit():
        cap = cv2.VideoCapture(int(source))
        if not cap.isOpened():
            raise ValueError(f'camera {source}: not found or cannot be opened')
    else:
        if not osp.isfile(source):
            raise ValueError(f'{source}: no such video file')
        cap = cv2.VideoCapture(source)
        if not cap.isOpened():
            raise ValueError(f'{source}: cannot be opened as a video (unknown format or codec?)')
    return cap


def main(argv=None):
    args = parse_args(argv)
    tmp = None
    try:
        out = osp.abspath(args.out)
        probe_output_dir(osp.dirname(out), '--out folder')
        if args.frames_dir:
            probe_output_dir(args.frames_dir, '--frames-dir')
        cap = open_video(args.video)
        ok, frame = cap.read()
        if not ok:
            raise ValueError(
                f'{args.video}: no frame could be decoded (empty, or a codec OpenCV lacks)'
            )
        if args.config is None:
            shipped = shipped_model()
            args.config, args.checkpoint = shipped['config'], shipped['weights']
            args.prior_bank = args.prior_bank or shipped['prior_bank']
        inferencer = FaceParsingInferencer(
            args.config,
            args.checkpoint,
            prior_bank=args.prior_bank,
            device=args.device,
            flip=args.flip,
        )
        from rednet_mmseg.apis.face_tracker import FaceTracker

        tracker = FaceTracker(
            detector_from_args(args),
            args.detect_every,
            args.smooth,
            args.select,
            args.max_faces,
            args.min_face_size,
        )
    except (ValueError, OSError, RuntimeError, ImportError) as err:
        raise SystemExit(f'error: {err}')
    from tqdm import tqdm

    palette = np.array(inferencer.model.dataset_meta['palette'], np.uint8)
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) or None
    if args.max_frames:
        total = min(total or args.max_frames, args.max_frames)
    h, w = frame.shape[:2]
    fd, tmp = tempfile.mkstemp(prefix='.partial-', suffix='.mp4', dir=osp.dirname(out))
    os.close(fd)
    writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h))
    if not writer.isOpened():
        os.remove(tmp)
        raise SystemExit(f'error: {out}: OpenCV cannot write an mp4v video here')
    if args.frames_dir:
        os.makedirs(args.frames_dir, exist_ok=True)
    changes, previous, n, start = [], None, 0, time.perf_counter()
    bar = tqdm(total=total, desc='frames', unit='frame', disable=args.no_progress)
    try:
        while ok and (args.max_frames is None or n < args.max_frames):
            faces = tracker.update(frame)
            if faces:
                labels, _, _ = inferencer.parse_faces(
                    args.video, faces, img=frame, context=args.context
                )
            else:
                labels = np.zeros((h, w), np.uint8)
            writer.write(blend_labels(frame, labels, palette, args.opacity))
            if args.frames_dir:
                cv2.imwrite(osp.join(args.frames_dir, f'{n:06d}.png'), labels)
            if previous is not None:
                changes.append(float((labels != previous).mean()))
            previous, n = labels, n + 1
            bar.update(1)
            ok, frame = cap.read()
        writer.release()
        os.replace(tmp, out)
    except BaseException:
        writer.release()
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    finally:
        bar.close()
        cap.release()
    took = time.perf_counter() - start
    flicker = 100 * float(np.mean(changes)) if changes else 0.0
    print(
        f'{n} frame(s) in {took:.1f} s ({n / took:.1f} fps) written to {out}; flicker (pixels '
        f'whose label changed between frames): {flicker:.2f} %'
    )


if __name__ == '__main__':
    sys.exit(main())
