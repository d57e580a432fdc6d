"""Where the time of parsing photos and videos goes (detect, model, paste back, draw, write).

Usage:
    python tools/analysis_tools/benchmark_parse.py IMAGES... [--config C --checkpoint W]
        [--threads 2] [--no-cnn] [--upsample auto] [--context 2.5] [--no-fuse] [--no-flip]
        [--video-frames 60] [--video-size 640 480] [--detect-every 5] [--no-peer]
        [--reference-path] [--refine guided|none] [--scales 1 [1.25 ...]]
        [--backend pytorch|onnxruntime] [--workers N]

Photos: runs what ``tools/parse_faces.py`` runs for each image (detection of every face, one
crop per face through the pipeline and the model, compositing, drawing the overlay, writing
the PNGs) and prints the photos per second and the median milliseconds of each stage.
Video (``--video-frames N``): a steady clip made from the first image (small shifts and noise,
``rednet_mmseg.testing.make_steady_clip``) parsed as ``tools/parse_video.py`` does (no
mirroring and no refinement, its defaults; ``--video-refine guided`` to refine), with and
without key-point smoothing: fps and the flicker, the share of pixels whose label changed
between consecutive frames after undoing each frame's known shift.
Start-up (imports, model and detector loading) is timed separately. The network step (hot path
only): the mirror pair as one batch at the median input size of the run, its multiply-adds
(mmengine's ``FlopAnalyzer``) and its share of this machine's fp32 GEMM rate
(``rednet_mmseg.utils.timing.gemm_flops_per_second``): how near the step is to what the cores
can do.

The peer, in the same run on the same photos (unless ``--no-peer``): mmseg's own BiSeNetV1-R18
(``bisenetv1_r18-d32_4xb4-160k_cityscapes-1024x1024.py``, 11 classes, random weights: enough
for timing) as the face parsers most used in practice run it: the whole photo resized to
512x512, one forward, the scores resized back, argmax, the PNG written. The ratio of the two
photo rates is the speed claim (absolute times move between CPUs). With ``--backend
onnxruntime`` both networks run in onnxruntime (the peer exported at 512x512).
"""

import argparse
import os.path as osp
import tempfile
import threading
import time

import cv2
import numpy as np
import torch

T0 = time.perf_counter()
import rednet_mmseg  # noqa: E402,F401
from rednet_mmseg.apis import FaceParsingInferencer, expand_inputs  # noqa: E402
from rednet_mmseg.apis.crop_parser import labels_from_probs  # noqa: E402
from rednet_mmseg.apis.face_tracker import FaceTracker  # noqa: E402
from rednet_mmseg.apis.guided_refine import REFINE_MODES  # noqa: E402
from rednet_mmseg.apis.landmark_detector import NoFaceError  # noqa: E402
from rednet_mmseg.apis.multi_face import CONTEXT, as_faces  # noqa: E402
from rednet_mmseg.apis.tool_args import (  # noqa: E402
    add_backend_argument,
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
from rednet_mmseg.apis.workers import ordered_map, threads_per_worker  # noqa: E402
from rednet_mmseg.utils.timing import (  # noqa: E402
    StageTimes,
    gemm_flops_per_second,
    median_seconds,
)


def record_input_shapes(inferencer) -> list:
    """The ``(N, 3, H, W)`` network inputs of the hot path, appended as the run goes."""
    shapes = []
    net = getattr(inferencer.crop_parser, 'net', None)
    if net is not None:
        scores = net.scores
        net.scores = lambda images, priors=None: (
            shapes.append(images.shape) or scores(images, priors)
        )
    return shapes


def model_step(inferencer, shapes, runs: int = 5) -> None:
    """Print the network step at the run's median input size beside this machine's GEMM rate."""
    from mmengine.analysis import FlopAnalyzer

    if not shapes:
        print('network step: not measured (the reference path has no single network call)')
        return
    net = inferencer.crop_parser.net
    n, c, h, w = (int(np.median([s[i] for s in shapes])) for i in range(4))
    image = torch.rand(n, c, h, w) * 255
    prior = None
    if net.with_prior:
        prior = torch.rand(n, len(inferencer.model.dataset_meta['classes']), h, w)
        prior = prior / prior.sum(1, keepdim=True)
    with torch.no_grad():
        seconds = median_seconds(lambda: net.scores(image, prior), runs)
        module = inferencer.crop_parser.export_model  # the PyTorch graph of any backend
        counter = FlopAnalyzer(module, (image, prior) if prior is not None else (image,))
        counter.unsupported_ops_warnings(False)
        counter.uncalled_modules_warnings(False)
        flops = 2 * counter.total()  # one multiply-add = 2 FLOP
    gemm = gemm_flops_per_second()
    print(
        f'network step ({n}x{c}x{h}x{w}, median of the run): {flops / 1e9:.2f} GFLOP in '
        f'{1e3 * seconds:.1f} ms = {flops / seconds / 1e9:.1f} GFLOP/s, '
        f"{100 * flops / seconds / gemm:.0f} % of this machine's fp32 GEMM rate "
        f'({gemm / 1e9:.0f} GFLOP/s; at that rate the step would take {1e3 * flops / gemm:.1f} ms)'
    )


def seconds_with_workers(fn, items, workers) -> float:
    """Seconds to run ``fn`` on every item, ``workers`` at once (torch's threads shared)."""
    with threads_per_worker(workers):
        start = time.perf_counter()
        for _ in ordered_map(fn, items, workers):
            pass
        return time.perf_counter() - start


def one_photo(inferencer, detector, path, out_dir, context, times):
    """Read, detect, parse, draw and write one photo as ``parse_faces.py`` does.

    Returns the detector that found its first face (``None``: no face).
    """
    with times('read'):
        img = cv2.imread(path, cv2.IMREAD_COLOR)
    with times('detect'):
        try:
            found = detector.detect_all(img, path, 'all')
        except NoFaceError:
            found = []
    faces = as_faces(found)  # with the 68 points a dense-prior model takes
    with times('model + paste'):
        labels, instances, _ = inferencer.parse_faces(path, faces, img=img, context=context)
    with times('draw'):
        inferencer.draw(img, labels, osp.join(out_dir, osp.basename(path)))
    with times('write'):
        cv2.imwrite(osp.join(out_dir, f'pred_{threading.get_ident()}.png'), labels)
        cv2.imwrite(osp.join(out_dir, f'inst_{threading.get_ident()}.png'), instances)
    return found[0].detector if found else None


def photos(inferencer, detector, paths, out_dir, context, workers=1):
    """Photos/s with ``workers`` photos at once (as the tools); one at a time, also the stages."""
    times, used = StageTimes(), []
    took = seconds_with_workers(
        lambda path: used.append(one_photo(inferencer, detector, path, out_dir, context, times)),
        paths,
        workers,
    )
    print(
        f'{len(paths)} photos in {took:.1f} s: {len(paths) / took:.2f} photos/s '
        f'({workers} worker{"s" if workers > 1 else ""})'
    )
    if workers == 1:  # stage times overlap with several workers
        print(
            f'faces found by HOG in {used.count("hog")} photos, by the CNN fallback in '
            f'{used.count("cnn")}'
        )
        print(f'median ms per photo: {times.summary()}')
    return len(paths) / took


def video_frame(img, size):
    """``img`` scaled to fill ``size = (W, H)`` in height or width, edges repeated around it."""
    if size is None:
        return img
    w, h = size
    k = min(w / img.shape[1], h / img.shape[0])
    img = cv2.resize(
        img, None, fx=k, fy=k, interpolation=cv2.INTER_LINEAR if k > 1 else cv2.INTER_AREA
    )
    top, left = (h - img.shape[0]) // 2, (w - img.shape[1]) // 2
    return cv2.copyMakeBorder(
        img, top, h - img.shape[0] - top, left, w - img.shape[1] - left, cv2.BORDER_REPLICATE
    )


def video(
    inferencer,
    detector,
    first,
    frames,
    detect_every,
    max_shift,
    context,
    size=None,
    workers=1,
    refine='none',
):
    """Fps and flicker of a steady clip made from ``first`` (module docstring).

    Decoding and tracking in this thread, ``workers`` frames parsed at once (as
    ``tools/parse_video.py``); stage times are per frame and overlap when ``workers > 1``.
    """
    from rednet_mmseg.testing import make_steady_clip

    img = video_frame(cv2.imread(first, cv2.IMREAD_COLOR), size)
    with tempfile.TemporaryDirectory() as tmp:
        clip = osp.join(tmp, 'clip.mp4')
        shifts = make_steady_clip(img, clip, frames=frames, max_shift=max_shift)
        for smooth in (0.0, 0.6):
            dense = getattr(inferencer.crop_parser, 'dense', False)
            tracker = FaceTracker(detector, detect_every, smooth, dense=dense)
            cap = cv2.VideoCapture(clip)
            prev, changes, n, start = None, [], 0, time.perf_counter()
            times = StageTimes()

            def tracked():
                while True:
                    with times('decode'):
                        ok, frame = cap.read()
                    if not ok:
                        return
                    with times('track'):
                        faces = tracker.update(frame)
                    yield frame, faces

            def parse(item):
                with times('parse'):
                    return inferencer.parse_faces(
                        clip, item[1], img=item[0], context=context, flip=False, refine=refine
                    )[0]

            with threads_per_worker(workers):
                for labels in ordered_map(parse, tracked(), workers):
                    dx, dy = shifts[n]
                    back = np.roll(labels, (-dy, -dx), axis=(0, 1))  # undo the known shift
                    if prev is not None:
                        m = 2 * max_shift + 1  # ignore the borders the shifts wrap around
                        changes.append(float((back[m:-m, m:-m] != prev[m:-m, m:-m]).mean()))
                    prev, n = back, n + 1
            took = time.perf_counter() - start
            print(
                f'video ({n} frames of {img.shape[1]}x{img.shape[0]}, detect every '
                f'{detect_every}, shifts up to {max_shift} px, smooth {smooth}, {workers} '
                f'worker(s)): {n / took:.1f} fps, flicker '
                f'{100 * np.mean(changes):.2f} % of pixels per frame; mean ms per frame: '
                + ', '.join(f'{k} {1e3 * np.mean(v):.1f}' for k, v in times.seconds.items())
            )


def peer_bisenet(paths, out_dir, size=512, backend='pytorch', workers=1):
    """Photos per second of mmseg's BiSeNetV1-R18 at ``size`` (the module docstring).

    ``backend='onnxruntime'``: the peer's network exported (fixed size) and run by onnxruntime,
    as ours then is: each given the same runtime. ``workers > 1``: that many photos at once,
    torch's threads shared out among them, as our tools run (the peer given the same help).
    """
    import torch.nn.functional as F

    forward = _peer_network(size, backend, out_dir)
    mean = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1)
    std = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1)

    @torch.no_grad()
    def one(path):
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        h, w = img.shape[:2]
        x = cv2.resize(img, (size, size), interpolation=cv2.INTER_LINEAR)[..., ::-1]
        x = (torch.from_numpy(x.copy()).permute(2, 0, 1)[None].float() - mean) / std
        scores = forward(x)
        scores = F.interpolate(scores, (h, w), mode='bilinear', align_corners=False)
        # the argmax as the hot path does it (crop_parser.labels_from_probs): fair to both
        labels = labels_from_probs(scores[0])
        cv2.imwrite(osp.join(out_dir, f'peer_{threading.get_ident()}.png'), labels)

    took = seconds_with_workers(one, paths, workers)
    print(
        f'peer BiSeNetV1-R18 at {size}x{size} ({backend}; whole photo, resize back, argmax, '
        f'PNG; {workers} worker(s)): {len(paths) / took:.2f} photos/s'
    )
    return len(paths) / took


def _peer_network(size, backend, out_dir):
    """``(1, 3, size, size)`` normalised RGB -> scores of the peer, run by ``backend``."""
    import os

    import mmseg
    from mmengine.config import Config
    from mmseg.registry import MODELS

    cfg = Config.fromfile(
        os.path.join(
            osp.dirname(mmseg.__file__),
            '.mim/configs/bisenetv1/bisenetv1_r18-d32_4xb4-160k_cityscapes-1024x1024.py',
        )
    )
    cfg.model.decode_head.num_classes = 11
    for head in cfg.model.get('auxiliary_head', []):
        head.num_classes = 11
    model = MODELS.build(cfg.model).eval()

    class Net(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, x):
            return self.model.decode_head(self.model.extract_feat(x))

    net = Net(model).eval()
    if backend == 'pytorch':
        return net
    import onnxruntime as ort

    path = osp.join(out_dir, 'peer.onnx')
    with torch.no_grad():
        torch.onnx.export(net, (torch.rand(1, 3, size, size),), path, dynamo=True)
    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    session = ort.InferenceSession(path, options, providers=['CPUExecutionProvider'])
    name = session.get_inputs()[0].name
    return lambda x: torch.from_numpy(session.run(None, {name: x.numpy()})[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('inputs', nargs='+')
    parser.add_argument('--config')
    parser.add_argument('--checkpoint')
    parser.add_argument('--prior-bank')
    add_model_argument(parser)
    parser.add_argument('--threads', type=int, default=2)
    add_detector_arguments(parser)
    parser.add_argument('--context', type=float, default=CONTEXT, help='face crop half-size')
    add_fuse_argument(parser)
    add_backend_argument(parser)
    add_flip_argument(parser, default=True)
    add_refine_argument(parser)
    add_scales_argument(parser)
    add_workers_argument(parser, 'photos (frames)')
    parser.add_argument('--video-frames', type=int, default=0)
    parser.add_argument('--detect-every', type=int, default=5)
    parser.add_argument('--video-shift', type=int, nargs='+', default=[0, 2])
    parser.add_argument(
        '--video-size',
        type=int,
        nargs=2,
        metavar=('W', 'H'),
        help='frame size of the clip (the first photo scaled to fill it; default: its own)',
    )
    parser.add_argument(
        '--video-refine',
        choices=REFINE_MODES,
        default='none',
        help="the video's --refine (default: parse_video.py's, %(default)s)",
    )
    parser.add_argument('--no-peer', action='store_true', help='skip the BiSeNetV1-R18 peer')
    parser.add_argument(
        '--reference-path',
        action='store_true',
        help='parse face crops by the packed pipeline instead of the hot path (CropParser)',
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    workers = workers_from_args(args)
    cv2.setNumThreads(args.threads)
    args.config, args.checkpoint, args.prior_bank = model_from_args(parser, args)
    inferencer = FaceParsingInferencer(
        args.config,
        args.checkpoint,
        prior_bank=args.prior_bank,
        fuse=args.fuse,
        flip=args.flip,
        refine=args.refine,
        scales=args.scales,
        fast_path=not args.reference_path,
        backend=args.backend,
    )
    detector = detector_from_args(args)
    print(f'start-up (imports, model, detector): {time.perf_counter() - T0:.1f} s')
    paths, _ = expand_inputs(args.inputs)
    shapes = record_input_shapes(inferencer)
    with tempfile.TemporaryDirectory() as out_dir:
        rate = photos(inferencer, detector, paths, out_dir, args.context)
        model_step(inferencer, shapes)
        fast = rate
        if workers > 1:
            fast = photos(inferencer, detector, paths, out_dir, args.context, workers)
        if not args.no_peer:
            peer = peer_bisenet(paths, out_dir, backend=args.backend)
            print(f'ratio to the peer: {rate / peer:.2f}x the photos/s of BiSeNetV1-R18 at 512')
            if workers > 1:
                peers = peer_bisenet(paths, out_dir, backend=args.backend, workers=workers)
                print(
                    f"with {workers} workers (the tools' default): {fast / peer:.2f}x the peer "
                    f'run one photo at a time, {fast / peers:.2f}x the peer with {workers} workers'
                )
    if args.video_frames:
        for shift in args.video_shift:
            for n in sorted({1, workers}):  # one frame at a time, then as the video tool
                video(
                    inferencer,
                    detector,
                    paths[0],
                    args.video_frames,
                    args.detect_every,
                    shift,
                    args.context,
                    args.video_size,
                    n,
                    args.video_refine,
                )


if __name__ == '__main__':
    main()
