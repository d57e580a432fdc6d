# Copyright (c) rednet-mmseg. Face parsing of a video or a camera (after mmseg's video_demo.py).
"""Parse every face of a video file or a camera stream into an overlay video.

    python tools/parse_video.py [CONFIG CHECKPOINT] VIDEO --out OUT.mp4
        [--frames-dir DIR] [--detect-every 5] [--smooth 0.6] [--select all|largest|central]
        [--max-faces N] [--min-face-size PX] [--max-frames N] [--opacity 0.6] [--device cpu]
        [--context 2.5] [--flip] [--refine guided|none] [--scales 1 [1.25 ...]] [--no-fuse]
        [--upsample auto] [--no-cnn] [--workers N]

VIDEO is a file or a camera index (``0``). Without CONFIG and CHECKPOINT the model shipped with the
package is used. Faces are detected every ``--detect-every`` frames and tracked between (optical
flow), their key points smoothed over time (``--smooth``, 0 = off), and every face is parsed in its
own crop (``FaceParsingInferencer.parse_faces``; ``--flip`` also parses its mirror image, at twice
the model time; ``--refine guided``: the photo tool's guided filter, off by default here for speed;
``--scales``: the photo tool's several scales). OUT gets the label maps drawn over the frames;
``--frames-dir`` also gets each frame's label map (``000000.png``, ...). A progress bar shows the
frames per second, and the end prints the mean share of pixels whose label changed from one frame to
the next (flicker). A file that cannot be read, a codec that cannot be opened or a missing camera
stops the tool with an error naming it. Outputs follow the photo tool's rules, checked before any
work: OUT must end in a container OpenCV writes (.mp4, .m4v, .mov, .mkv: MPEG-4; .avi: Motion JPEG)
and appears only when the whole video is written; an existing OUT is replaced only if this tool
wrote it (listed in the folder's ``.parse_video.json``); a reused ``--frames-dir`` may hold only an
earlier run's frames (listed in its ``parse_video.json``, replaced as a whole); a killed run's
staging files are removed by the next run. Every face is parsed by
``FaceParsingInferencer.parse_image``'s path: a frame gives the label map the API and
``parse_faces.py`` give for it with the same options.
"""

import argparse
import os.path as osp
import sys
import time

import cv2
import numpy as np

import rednet_mmseg  # noqa: F401  (registers the components, applies upstream workarounds)
from rednet_mmseg.apis import FaceParsingInferencer
from rednet_mmseg.apis.landmark_detector import SELECTIONS
from rednet_mmseg.apis.tool_args import (
    add_backend_argument,
    add_context_argument,
    add_detector_arguments,
    add_flip_argument,
    add_fuse_argument,
    add_model_argument,
    add_refine_argument,
    add_scales_argument,
    add_workers_argument,
    detector_from_args,
    model_from_args,
    workers_from_args,
)
from rednet_mmseg.utils.cli_args import float_in, int_at_least, tool_warnings
from rednet_mmseg.utils.output_dir import OutputDirError, StagedFile, StagedOutput
from rednet_mmseg.visualization import blend_labels

#: Containers by extension of --out, and the codec written into each.
CONTAINERS = {'.mp4': 'mp4v', '.m4v': 'mp4v', '.mov': 'mp4v', '.mkv': 'mp4v', '.avi': 'MJPG'}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('inputs', nargs='+', metavar='[CONFIG CHECKPOINT] VIDEO')
    parser.add_argument(
        '--out', required=True, help=f'overlay video to write ({", ".join(CONTAINERS)})'
    )
    parser.add_argument('--frames-dir', help="also write each frame's label map here")
    parser.add_argument(
        '--detect-every', type=int_at_least(1), default=5, help='detect faces every k frames'
    )
    parser.add_argument(
        '--smooth',
        type=float_in(0, 1, high_open=True),
        default=0.6,
        help='key-point smoothing in [0, 1), 0 = off',
    )
    parser.add_argument('--select', choices=SELECTIONS, default='all')
    parser.add_argument('--max-faces', type=int_at_least(1))
    parser.add_argument('--min-face-size', type=int_at_least(0), default=0)
    parser.add_argument('--max-frames', type=int_at_least(1), help='stop after this many frames')
    parser.add_argument('--opacity', type=float_in(0, 1), default=0.6)
    add_context_argument(parser)
    add_flip_argument(parser, default=False)
    add_refine_argument(parser, default='none')
    add_scales_argument(parser)
    add_fuse_argument(parser)
    add_backend_argument(parser)
    add_detector_arguments(parser)
    add_workers_argument(parser, 'frames')
    add_model_argument(parser)
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
    args.config, args.checkpoint, args.prior_bank = model_from_args(parser, args)
    ext = osp.splitext(args.out)[1].lower()
    if ext not in CONTAINERS:
        parser.error(
            f'--out {args.out}: OpenCV writes {", ".join(CONTAINERS)} videos; '
            f'{ext or "no extension"} is not one of them'
        )
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


def prepare(args):
    """Check the outputs, open the video, load the model: everything before the first frame.

    Returns ``(out, frames, cap, first frame, inferencer, tracker)``; any problem is a
    ``SystemExit`` with one line naming the file, before anything is written.
    """
    try:
        out = StagedFile(args.out, '.parse_video.json')
        if osp.exists(args.video) and osp.realpath(args.video) == osp.realpath(args.out):
            raise ValueError(f'--out {args.out}: is the input video; choose another name')
        out.check()
        frames = None
        if args.frames_dir:
            frames = StagedOutput(
                args.frames_dir, 'parse_video.json', owned=None, what='--frames-dir'
            )
            frames.check()
        cap = open_video(args.video)
        ok, frame = cap.read()
        if not ok:
            raise ValueError(
                f'{args.video}: no frame could be decoded (empty, or a codec OpenCV lacks)'
            )
        detector = detector_from_args(args)
        inferencer = FaceParsingInferencer(
            args.config,
            args.checkpoint,
            prior_bank=args.prior_bank,
            device=args.device,
            flip=args.flip,
            refine=args.refine,
            scales=args.scales,
            fuse=args.fuse,
            backend=args.backend,
            select=args.select,
            max_faces=args.max_faces,
            min_face_size=args.min_face_size,
            context=args.context,
            detector=detector,
        )
        from rednet_mmseg.apis.face_tracker import FaceTracker

        tracker = FaceTracker(
            detector,
            args.detect_every,
            args.smooth,
            args.select,
            args.max_faces,
            args.min_face_size,
            dense=getattr(inferencer.crop_parser, 'dense', False),
        )
    except (ValueError, OSError, RuntimeError, ImportError, OutputDirError) as err:
        raise SystemExit(f'error: {err}')
    return out, frames, cap, frame, inferencer, tracker


def parse_frames(cap, frame, inferencer, tracker, writer, frames_root, args):
    """Parse, draw and write every frame; ``(frames, flicker share)``.

    Decoding and tracking run in this thread, in frame order; ``--workers`` frames are parsed
    at once (``FaceParsingInferencer.parse_images``) and written here in order: the same label
    maps as one frame at a time.
    """
    from collections import deque

    from tqdm import tqdm

    palette = np.array(inferencer.model.dataset_meta['palette'], np.uint8)
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) or None
    if args.max_frames:
        total = min(total or args.max_frames, args.max_frames)
    frames = deque()  # decoded, not yet written (at most the workers' window)

    def tracked(frame):
        n, ok = 0, True
        while ok and (args.max_frames is None or n < args.max_frames):
            frames.append(frame)
            yield frame, tracker.update(frame)  # no face: an all-background label map
            n += 1
            ok, frame = cap.read()

    changes, previous, n = [], None, 0
    with tqdm(total=total, desc='frames', unit='frame', disable=args.no_progress) as bar:
        for labels, _, _ in inferencer.parse_images(tracked(frame), workers_from_args(args)):
            writer.write(blend_labels(frames.popleft(), labels, palette, args.opacity))
            if frames_root:
                cv2.imwrite(osp.join(frames_root, f'{n:06d}.png'), labels)
            if previous is not None:
                changes.append(float((labels != previous).mean()))
            previous, n = labels, n + 1
            bar.update(1)
    return n, float(np.mean(changes)) if changes else 0.0


def main(argv=None):
    args = parse_args(argv)
    tool_warnings()
    out, frames, cap, frame, inferencer, tracker = prepare(args)
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    h, w = frame.shape[:2]
    staging = out.start()
    codec = CONTAINERS[osp.splitext(args.out)[1].lower()]
    writer = cv2.VideoWriter(staging, cv2.VideoWriter_fourcc(*codec), fps, (w, h))
    if not writer.isOpened():
        out.discard()
        raise SystemExit(f'error: {out.path}: OpenCV cannot write a {codec} video here')
    start = time.perf_counter()
    try:
        if frames is None:
            n, flicker = parse_frames(cap, frame, inferencer, tracker, writer, None, args)
        else:
            with frames as root:  # the frames appear with the video, or not at all
                n, flicker = parse_frames(cap, frame, inferencer, tracker, writer, root, args)
        writer.release()
        out.commit()
    except BaseException:
        writer.release()
        out.discard()
        raise
    finally:
        cap.release()
    took = time.perf_counter() - start
    print(
        f'{n} frame(s) in {took:.1f} s ({n / took:.1f} fps) written to {out.path}; flicker '
        f'(pixels whose label changed between frames): {100 * flicker:.2f} %'
    )


if __name__ == '__main__':
    sys.exit(main())
