# Copyright (c) rednet-mmseg. Face parsing of your own images with a trained checkpoint.
"""Parse faces in images, folders or globs; write label maps, colour overlays and a legend.

    python tools/parse_faces.py [CONFIG CHECKPOINT | --model fast] INPUT [INPUT ...] --out-dir OUT
        [--landmarks LANDMARKS.txt] [--prior-bank BANK.npz] [--device cpu] [--opacity 0.6]
        [--no-fuse] [--context 2.5] [--no-flip] [--refine guided|none] [--scales 1 [1.25 ...]]
        [--upsample auto] [--no-cnn] [--workers N]

Without CONFIG and CHECKPOINT the model shipped with the package is used (a tiny RED-Net +
adaptive prior trained on real photos, ``rednet_mmseg/model_zoo``). Writes
``OUT/pred/<image>.png`` (uint8 class indices at the image's resolution), ``OUT/vis/<image
file>`` (prediction drawn over the image) and ``OUT/legend.png``. Configs that need the 5 face
landmarks (Helen face crops, the adaptive prior) read them from ``--landmarks`` (lines ``<image>
x1 y1 ... x5 y5``: eye centres, nose tip, mouth corners, in pixels, each pair image-left first)
or detect them (every face
by default, ``--select``; the first face's points are written to ``OUT/landmarks.txt``): a named
image without a face is an error, images of a folder or glob without a face are skipped with a
warning that lists them. Each face is also parsed mirrored (with the mirror face's own prior)
and the two averaged, unless ``--no-flip`` (twice as fast a model step, docs/en/inference.md),
and its class probabilities follow the photo's edges (the guided filter) unless
``--refine none``; ``--scales 1 1.25`` parses each face at two sizes and averages them (more
accurate, half the photos per second).
Every input (images, landmarks, the checkpoint, which must fit the config's model unless
--allow-partial) is checked before any output is written; outputs appear only when every
image is parsed, and a reused OUT loses the previous run's outputs (listed in
OUT/parse_faces.json), never files this tool did not write, and never an input (a landmark table
edited in OUT and passed back with --landmarks stays as it is). Every face is parsed by the
one path of ``FaceParsingInferencer`` (its ``parse_image``): the API and ``parse_video.py``
give the same label map for the same image, model and options. ``--workers`` images are
detected, then parsed, at once (default: one per torch thread, torch's threads shared out
among them: the same outputs, faster on several cores; ``rednet_mmseg/apis/workers.py``).
"""

import argparse
import json
import os
import os.path as osp
import sys

import cv2
from mmengine.config import Config

import rednet_mmseg  # noqa: F401  (registers the components, applies upstream workarounds)
from rednet_mmseg.apis import (
    FaceParsingInferencer,
    config_needs_dense_points,
    config_needs_landmarks,
    expand_inputs,
)
from rednet_mmseg.apis.detect_files import detect_faces
from rednet_mmseg.apis.image_inputs import read_image
from rednet_mmseg.apis.landmark_detector import SELECTIONS
from rednet_mmseg.apis.multi_face import Face, aligned_face
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
    report_detection,
    workers_from_args,
)
from rednet_mmseg.datasets.landmark_table import (
    check_points_in_image,
    image_key,
    read_landmark_table,
    write_landmark_table,
)
from rednet_mmseg.datasets.sample_check import BadSampleError, check_sample
from rednet_mmseg.utils.cli_args import float_in, int_at_least, tool_warnings
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
    add_model_argument(parser)
    parser.add_argument('--out-dir', required=True, help='output directory')
    parser.add_argument('--landmarks', help='landmark table (default: detect the landmarks)')
    parser.add_argument(
        '--select',
        choices=SELECTIONS,
        default='all',
        help='which detected faces to parse: all (default), the largest, or the central one '
        "(nearest the image centre, for photos cut around one face as Helen's are)",
    )
    parser.add_argument(
        '--max-faces', type=int_at_least(1), help='parse at most this many (the largest)'
    )
    parser.add_argument(
        '--aligned',
        action='store_true',
        help="inputs are aligned face crops (CelebAMask-HQ, LaPa, another detector's crops): "
        'the whole image is one face with its key points at --aligned-template, no detector',
    )
    parser.add_argument(
        '--aligned-template',
        nargs=10,
        type=float_in(0, 1),
        metavar='F',
        help='x1 y1 ... x5 y5 of the key points as fractions of width and height (default: '
        'eyes at 46 %% height, 25 %% of the width apart, see multi_face.ALIGNED_TEMPLATE)',
    )
    parser.add_argument(
        '--min-face-size',
        type=int_at_least(0),
        default=0,
        help='ignore detected faces smaller than this (px)',
    )
    parser.add_argument('--prior-bank', help="prior bank .npz (default: the config's)")
    parser.add_argument('--device', default=None, help='cpu, cuda or cuda:N (default: auto)')
    parser.add_argument('--batch-size', type=int_at_least(1), default=1)
    add_fuse_argument(parser)
    add_backend_argument(parser)
    parser.add_argument('--opacity', type=float_in(0, 1), default=0.6, help='overlay opacity (0-1)')
    add_context_argument(parser)
    add_flip_argument(parser, default=True)
    add_refine_argument(parser)
    add_scales_argument(parser)
    add_detector_arguments(parser)
    add_workers_argument(parser)
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bars')
    parser.add_argument(
        '--allow-partial',
        action='store_true',
        help='use a checkpoint that leaves model weights unloaded or mismatched (refused by '
        'default)',
    )
    args = parser.parse_args(argv)
    first = args.inputs
    if args.config is None and first[0].endswith('.py'):  # a config is never an image
        if len(first) < 3:
            parser.error(f'{first[0]} is a config: give CONFIG CHECKPOINT INPUT [INPUT ...]')
        args.config, args.checkpoint, args.inputs = first[0], first[1], first[2:]
    if args.aligned and args.landmarks:
        parser.error('--aligned and --landmarks exclude each other')
    args.config, args.checkpoint, args.prior_bank = model_from_args(parser, args)
    return args


#: What the tool writes into --out-dir (a reused folder may hold only earlier runs' files there).
OWNED = ('pred', 'vis', 'instances', 'faces', 'legend.png', 'landmarks.txt')


def faces_for(paths, from_patterns, args):
    """``(path -> [Face], detected)``: the faces to parse, from a table or detected.

    One face per image from the given table (every input must be in it), or the detected faces
    (folder / glob members without a face are dropped with a warning). Every face's points are
    checked against its image.
    """
    if args.aligned:  # the template in the decoded image's frame (EXIF orientation applied)
        return {p: [aligned_face(read_image(p).shape, args.aligned_template)] for p in paths}, False
    if args.landmarks:
        table = read_landmark_table(args.landmarks)
        missing = [p for p in paths if image_key(p) not in table]
        if missing:
            raise ValueError(
                f'{args.landmarks}: no landmarks for {len(missing)} input(s), e.g. {missing[0]}'
            )
        faces = {p: [Face(table[image_key(p)])] for p in paths}
        for p in paths:  # the detector checks its own points
            check_points_in_image(faces[p][0].points, read_image(p).shape, args.landmarks, image=p)
        return faces, False
    faces = report_detection(
        *detect_faces(
            paths,
            may_skip=from_patterns,
            detector=detector_from_args(args),
            progress=not args.no_progress,
            select=args.select,
            max_faces=args.max_faces,
            min_size=args.min_face_size,
            workers=workers_from_args(args),
        )
    )
    return faces, True


def parse_every_face(inferencer, faces, root, args):
    """Label map, instance map, face list and overlay of every image (the inferencer's one path).

    ``--workers`` images parsed at once (``FaceParsingInferencer.parse_images``: the same label
    maps as one at a time); the outputs are written here, in order.
    """
    from collections import deque

    from tqdm import tqdm

    for sub in ('pred', 'instances', 'faces', 'vis'):
        os.makedirs(osp.join(root, sub))
    images = deque()  # decoded, not yet written (at most the workers' window)

    def decoded():  # in this thread, in order: the decoder's warnings name the right file
        for path, found in faces.items():
            images.append(read_image(path))
            yield images[-1], found

    results = inferencer.parse_images(decoded(), min(workers_from_args(args), len(faces)))
    for path, (labels, instances, found) in tqdm(
        zip(faces, results), total=len(faces), desc='parse', unit='img', disable=args.no_progress
    ):
        img, key = images.popleft(), image_key(path)
        cv2.imwrite(osp.join(root, 'pred', f'{key}.png'), labels)
        cv2.imwrite(osp.join(root, 'instances', f'{key}.png'), instances)
        with open(osp.join(root, 'faces', f'{key}.json'), 'w') as f:
            json.dump(dict(image=path, faces=[face.record() for face in found]), f, indent=1)
        inferencer.draw(img, labels, osp.join(root, 'vis', osp.basename(path)), args.opacity)


def _input_images(inputs, output):
    """``(paths, from_patterns)`` of the images to parse, each checked to be a whole image.

    A folder input that is ``--out-dir``: the previous run's outputs (``legend.png``) are no
    inputs. Corrupt or truncated images fail here, before anything is written.
    """
    paths, from_patterns = expand_inputs(inputs)
    outputs = output.outputs_among(p for p in paths if p in from_patterns)
    paths = [p for p in paths if p not in outputs]
    if not paths:
        raise FileNotFoundError(
            f'no input image: the only images found are outputs of an earlier run ({outputs[0]})'
        )
    output.keep_inputs(paths)
    for p in paths:
        check_sample(p, None, num_classes=0)
    return paths, from_patterns


def main(argv=None):
    args = parse_args(argv)
    tool_warnings()
    inputs = [args.landmarks, args.prior_bank, args.config, args.checkpoint]
    output = StagedOutput(args.out_dir, 'parse_faces.json', OWNED, keep=inputs)
    try:
        output.check()  # a bad or foreign --out-dir fails first, before detection or loading
        paths, from_patterns = _input_images(args.inputs, output)
        cfg = Config.fromfile(args.config)
        if (args.landmarks or args.aligned) and config_needs_dense_points(cfg):
            given = '--landmarks' if args.landmarks else '--aligned'
            raise ValueError(
                f"{args.config}: this model (the dense prior) takes each face's 68 points from "
                f'the detector; {given} gives 5 points only: leave it out, or use --model fast'
            )
        faces, detected = None, False
        if args.landmarks or args.aligned or config_needs_landmarks(cfg):  # faces before the model
            faces, detected = faces_for(paths, from_patterns, args)
            paths = list(faces)
        inferencer = FaceParsingInferencer(
            cfg,
            args.checkpoint,
            prior_bank=args.prior_bank,
            device=args.device,
            fuse=args.fuse,
            backend=args.backend,
            flip=args.flip,
            refine=args.refine,
            scales=args.scales,
            allow_partial=args.allow_partial,
            select=args.select,
            max_faces=args.max_faces,
            min_face_size=args.min_face_size,
            context=args.context,
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
        if not config_needs_landmarks(cfg):  # no face geometry: mmseg's own inference path
            inferencer(paths, batch_size=args.batch_size, out_dir=root, opacity=args.opacity)
        else:
            parse_every_face(inferencer, faces, root, args)
        meta = inferencer.model.dataset_meta
        cv2.imwrite(osp.join(root, 'legend.png'), draw_legend(meta['classes'], meta['palette']))
        if detected:  # the first (largest or selected) face of each image: a --landmarks table
            table = {image_key(p): found[0].points for p, found in faces.items()}
            write_landmark_table(osp.join(root, 'landmarks.txt'), table)
    out_dir = output.out_dir
    shown = f', detected landmarks in {osp.join(out_dir, "landmarks.txt")}' if detected else ''
    print(
        f'{len(paths)} image(s) parsed: label maps in {osp.join(out_dir, "pred")}, overlays '
        f'in {osp.join(out_dir, "vis")}, legend {osp.join(out_dir, "legend.png")}{shown}'
    )


if __name__ == '__main__':
    sys.exit(main())
