# Copyright (c) rednet-mmseg. Face parsing of your own images with a trained checkpoint.
"""Parse faces in images, folders or globs; write label maps, colour overlays and a legend.

    python tools/parse_faces.py [CONFIG CHECKPOINT] INPUT [INPUT ...] --out-dir OUT
        [--landmarks LANDMARKS.txt] [--prior-bank BANK.npz] [--device cpu] [--opacity 0.6]
        [--fuse]

Without CONFIG and CHECKPOINT the model shipped with the package is used (a tiny RED-Net +
adaptive prior trained on real photos, ``rednet_mmseg/model_zoo``). Writes
``OUT/pred/<image>.png`` (uint8 class indices at the image's resolution), ``OUT/vis/<image
file>`` (prediction drawn over the image) and ``OUT/legend.png``. Configs that need the 5 face
landmarks (Helen face crops, the adaptive prior) read them from ``--landmarks`` (lines ``<image>
x1 y1 ... x5 y5``: eye centres, nose tip, mouth corners, in pixels) or detect them (the largest
face of each image; the table used is written to ``OUT/landmarks.txt``): a named image without a
face is an error, images of a folder or glob without a face are skipped with a warning that
lists them. Every input (images, landmarks, the checkpoint, which must fit the config's model
unless --allow-partial) is checked before any output is written; outputs appear only when every
image is parsed, and a reused OUT loses the previous run's outputs (listed in
OUT/parse_faces.json), never files this tool did not write.
"""

import argparse
import os.path as osp
import sys

import cv2
from mmengine.config import Config
from PIL import Image

import rednet_mmseg  # noqa: F401  (registers the components, applies upstream workarounds)
from rednet_mmseg.apis import (
    FaceParsingInferencer,
    config_needs_landmarks,
    expand_inputs,
    shipped_model,
)
from rednet_mmseg.apis.landmark_detector import detect_and_report
from rednet_mmseg.datasets.landmark_table import (
    check_points_in_image,
    image_key,
    read_landmark_table,
    write_landmark_table,
)
from rednet_mmseg.datasets.sample_check import BadSampleError, check_sample
from rednet_mmseg.utils.output_dir import OutputDirError, StagedOutput
from rednet_mmseg.visualization import draw_legend


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'inputs',
        nargs='+',
        metavar='[CONFIG CHECKPOINT] INPUT',
        help='image files, folders or quoted globs, after an optional config and checkpoint '
        '(default: the model shipped with the package)',
    )
    parser.add_argument('--config', help='config file (instead of the first positional)')
    parser.add_argument('--checkpoint', help='checkpoint file (loaded weights-only)')
    parser.add_argument('--out-dir', required=True, help='output directory')
    parser.add_argument('--landmarks', help='landmark table (default: detect the landmarks)')
    parser.add_argument('--prior-bank', help="prior bank .npz (default: the config's)")
    parser.add_argument('--device', default=None, help='cpu, cuda or cuda:N (default: auto)')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument(
        '--fuse', action='store_true', help='fold BatchNorm into the convolutions (faster)'
    )
    parser.add_argument('--opacity', type=float, default=0.6, help='overlay opacity (0-1)')
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bars')
    parser.add_argument(
        '--allow-partial',
        action='store_true',
        help='use a checkpoint that leaves model weights unloaded or mismatched (refused by '
        'default)',
    )
    args = parser.parse_args(argv)
    first = args.inputs
    if args.config is None and len(first) >= 3 and first[0].endswith('.py'):
        if first[1].endswith(('.pth', '.pt', '.ckpt')) or not osp.splitext(first[1])[1]:
            args.config, args.checkpoint, args.inputs = first[0], first[1], first[2:]
    if (args.config is None) != (args.checkpoint is None):
        parser.error('give both a config and a checkpoint, or neither (the shipped model)')
    return args


#: What the tool writes into --out-dir (a reused folder may hold only earlier runs' files there).
OWNED = ('pred', 'vis', 'legend.png', 'landmarks.txt')


def landmarks_for(paths, from_patterns, landmarks_file, progress):
    """``(table, paths kept, detected)``: the given table (every input must be in it) or the
    detected one (folder / glob members without a face are dropped with a warning)."""
    if landmarks_file:
        table = read_landmark_table(landmarks_file)
        missing = [p for p in paths if image_key(p) not in table]
        if missing:
            raise ValueError(
                f'{landmarks_file}: no landmarks for {len(missing)} input(s), e.g. {missing[0]}'
            )
        return table, paths, False
    table = detect_and_report(paths, may_skip=from_patterns, progress=progress)
    return table, [p for p in paths if image_key(p) in table], True


def check_points(table, paths, where):
    """Every image's points are finite and near the image (read from the image header)."""
    for p in paths:
        with Image.open(p) as img:
            w, h = img.size
        check_points_in_image(table[image_key(p)], (h, w), where, image=p)


def main(argv=None):
    args = parse_args(argv)
    output = StagedOutput(args.out_dir, 'parse_faces.json', OWNED)
    try:
        output.check()  # a bad or foreign --out-dir fails first, before detection or loading
        paths, from_patterns = expand_inputs(args.inputs)
        for p in paths:  # corrupt or truncated images fail here, before anything is written
            check_sample(p, None, num_classes=0)
        if args.config is None:  # the model shipped with the package
            shipped = shipped_model()
            args.config, args.checkpoint = shipped['config'], shipped['weights']
            args.prior_bank = args.prior_bank or shipped['prior_bank']
        cfg = Config.fromfile(args.config)
        table, detected = None, False
        if args.landmarks or config_needs_landmarks(cfg):
            table, paths, detected = landmarks_for(
                paths, from_patterns, args.landmarks, not args.no_progress
            )
            check_points(table, paths, args.landmarks or 'the detector')
        inferencer = FaceParsingInferencer(
            cfg,
            args.checkpoint,
            landmarks=table,
            prior_bank=args.prior_bank,
            device=args.device,
            fuse=args.fuse,
            allow_partial=args.allow_partial,
        )
    except (
        FileNotFoundError,
        ValueError,
        BadSampleError,
        OutputDirError,
        ImportError,
        RuntimeError,
    ) as err:
        raise SystemExit(f'error: {err}')
    inferencer.show_progress = not args.no_progress
    with output as root:  # written whole into --out-dir only when every image is parsed
        inferencer(paths, batch_size=args.batch_size, out_dir=root, opacity=args.opacity)
        meta = inferencer.model.dataset_meta
        cv2.imwrite(osp.join(root, 'legend.png'), draw_legend(meta['classes'], meta['palette']))
        if detected:
            write_landmark_table(osp.join(root, 'landmarks.txt'), table)
    out_dir = output.out_dir
    shown = f', detected landmarks in {osp.join(out_dir, "landmarks.txt")}' if detected else ''
    print(
        f'{len(paths)} image(s) parsed: label maps in {osp.join(out_dir, "pred")}, overlays '
        f'in {osp.join(out_dir, "vis")}, legend {osp.join(out_dir, "legend.png")}{shown}'
    )


if __name__ == '__main__':
    sys.exit(main())
