# Copyright (c) rednet-mmseg. Fine-tune a shipped face parser on your own faces and classes.
"""Fine-tune a shipped model on a face folder of your own, in one command.

    python tools/finetune_faces.py ROOT --work-dir W [--iters 1000] [--model fast|accurate]
        [--batch-size 8] [--lr 5e-4] [--upsample auto] [--no-cnn]

ROOT (docs/en/finetune.md): ``classes.txt`` (one name per line, background first),
``images/{train,val,test}/<name>.jpg|png``, ``annotations/{train,val,test}/<name>.png`` (uint8
class indices, 255 = ignore), optional ``landmarks/{train,val,test}.txt`` (lines ``<name> x1 y1
... x5 y5``; missing tables are detected with the shipped detector and written to W; with
``--model accurate`` also the 68 points, ``landmarks68/{train,val,test}.txt``). Every
problem of ROOT is listed before anything trains. Then the adaptive prior's bank is built from
the train split (W/prior_bank.npz), the config is written to W (``tools/train.py
W/<config>.py`` reruns it), the shipped weights are loaded (a new classifier when the classes
differ: reported), training runs with a progress bar, the test split is scored, and the command
that parses a photo with the result is printed. ROOT is never written to; W must be new, empty
or an earlier run of this tool.
"""

import argparse
import json
import os
import os.path as osp
import shlex
import shutil
import sys

from rednet_mmseg.apis.tool_args import add_detector_arguments, add_model_argument
from rednet_mmseg.utils.cli_args import int_at_least

#: The marker of a work directory this tool wrote (it may reuse such a directory).
MARKER = 'finetune_faces.json'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='the face folder (classes.txt, images/, annotations/)')
    parser.add_argument('--work-dir', required=True, help='where config, bank, logs go')
    parser.add_argument(
        '--iters', type=int_at_least(1), default=1000, help='training iterations (default 1000)'
    )
    parser.add_argument('--batch-size', type=int_at_least(1), default=8)
    parser.add_argument('--lr', type=float, default=5e-4, help='AdamW learning rate (poly decay)')
    add_model_argument(parser)
    add_detector_arguments(parser)
    args = parser.parse_args(argv)
    args.model = args.model or 'fast'
    return args


def check_work_dir(work_dir: str, root: str) -> None:
    """Refuse a work directory that holds files of someone else, or lies inside ROOT."""
    work, src = osp.realpath(work_dir), osp.realpath(root)
    if work == src or work.startswith(src + os.sep):
        raise ValueError(f'--work-dir {work_dir}: inside the face folder {root}, never written to')
    if osp.isdir(work_dir) and os.listdir(work_dir) and not osp.isfile(osp.join(work_dir, MARKER)):
        raise ValueError(
            f'--work-dir {work_dir}: not empty and not written by this tool; choose a new folder'
        )


def main(argv=None):
    args = parse_args(argv)
    import rednet_mmseg  # noqa: F401  (registers the components)
    from rednet_mmseg.apis import finetune
    from rednet_mmseg.apis.detect_files import detect_landmark_table
    from rednet_mmseg.apis.tool_args import detector_from_args
    from rednet_mmseg.datasets.face_folder import read_classes

    def detect(paths, points=5):
        table, skipped, _ = detect_landmark_table(
            paths, detector=detector_from_args(args), may_skip=paths, points=points
        )
        return table, skipped

    created = not osp.exists(args.work_dir)
    try:
        check_work_dir(args.work_dir, args.root)
        classes = read_classes(args.root)
        os.makedirs(args.work_dir, exist_ok=True)
        with open(osp.join(args.work_dir, MARKER), 'w') as f:
            json.dump(dict(root=osp.abspath(args.root), model=args.model), f)
        tables = finetune.prepare_landmarks(args.root, args.work_dir, detect)
        dense_tables = None
        if finetune.model_needs_dense_points(args.model):  # accurate: the dense prior
            dense_tables = finetune.prepare_landmarks(
                args.root, args.work_dir, lambda paths: detect(paths, 68), num_points=68
            )
        finetune.check_folder(args.root, tables, dense_tables)
        bank = finetune.prepare_prior_bank(
            args.root,
            tables,
            osp.join(args.work_dir, 'prior_bank.npz'),
            len(classes),
            dense_tables=dense_tables,
        )
        cfg = finetune.finetune_config(
            args.root,
            args.work_dir,
            tables,
            bank,
            args.model,
            args.iters,
            args.batch_size,
            args.lr,
            dense_tables=dense_tables,
        )
        name = f'finetune_{args.model}_{osp.basename(osp.normpath(args.root))}'
        config_path, cfg = finetune.write_config(cfg, args.work_dir, name)
    except (OSError, ValueError) as err:
        if created:  # nothing half-made stays behind
            shutil.rmtree(args.work_dir, ignore_errors=True)
        sys.exit(f'error: {err}')
    print(f'{len(classes)} classes: {", ".join(classes)}; config: {config_path}', flush=True)
    result = finetune.run_finetune(cfg)
    print(f'Started from the shipped {args.model} model: ' + (result['unloaded'] or 'every weight'))
    print('\n'.join(['', f'Test split of {args.root}:'] + finetune.score_lines(result['metrics'])))
    ckpt = osp.join(args.work_dir, osp.basename(result['checkpoint']))
    print(f'Rerun the training: python tools/train.py {shlex.quote(config_path)}')
    print(
        'Parse a photo with the result: python tools/parse_faces.py '
        f'{shlex.quote(config_path)} {shlex.quote(ckpt)} PHOTO.jpg '
        '--out-dir parsed'
    )


if __name__ == '__main__':
    main()
