"""Fine-tune a shipped model on a face folder of your own (``tools/finetune_faces.py``).

Steps, each a function so that the tool only parses arguments and prints:

1. :func:`prepare_landmarks`: the folder's landmark tables, or tables detected with the shipped
   detector and written to the work directory (the folder is never written to);
2. ``find_folder_problems`` (``datasets/face_folder.py``): every problem, named, before training;
3. :func:`prepare_prior_bank`: the adaptive prior's bank from the folder's train split;
4. :func:`finetune_config`: the shipped model's config with the folder's data, classes,
   left/right pairs, class weights, bank and schedule, written to the work directory, so
   that ``tools/train.py W/<config>.py`` reruns it the mmseg way;
5. :func:`run_finetune`: train from the shipped weights (a new classifier when the classes
   differ; what is not loaded is reported), then test on the folder's test split.
"""

import os
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from ..datasets.face_folder import (
    SPLITS,
    find_folder_problems,
    landmark_table_path,
    read_classes,
    split_images,
)


class FaceFolderError(ValueError):
    """A face folder that cannot be trained on; the message lists every problem."""


def prepare_landmarks(
    root: str,
    work_dir: str,
    detect: Optional[Callable] = None,
    splits: Sequence[str] = SPLITS,
    num_points: int = 5,
) -> Dict[str, str]:
    """``split -> landmark table`` of ``num_points`` points for every split with images.

    The folder's own table where it has one (``ROOT/landmarks/<split>.txt``, 68 points:
    ``ROOT/landmarks68/<split>.txt``); otherwise ``detect(paths)`` (returning ``(table,
    skipped)``, e.g. a wrapped ``detect_landmark_table``) and the table written to the same
    place under ``work_dir``.

    Raises:
        FaceFolderError: images without a face, named (no table is written then).
    """
    from ..datasets.landmark_table import write_landmark_table

    tables = {}
    for split in splits:
        images = split_images(root, split)
        if not images:
            continue
        own = landmark_table_path(root, split, num_points)
        if osp.isfile(own):
            tables[split] = own
            continue
        if detect is None:
            raise FaceFolderError(f'{own}: not found, and no detector to make it')
        table, skipped = detect(list(images.values()))
        if skipped:
            raise FaceFolderError(
                f'{len(skipped)} image(s) of {split} without a face found: '
                + ', '.join(skipped[:5])
                + f' (add their {num_points} points to {own}, or remove them)'
            )
        out = landmark_table_path(work_dir, split, num_points)
        os.makedirs(osp.dirname(out), exist_ok=True)
        write_landmark_table(out, table)
        tables[split] = out
    return tables


def check_folder(
    root: str, tables: Dict[str, str], dense_tables: Optional[Dict[str, str]] = None
) -> None:
    """Raise :class:`FaceFolderError` listing every problem of the folder (none: return)."""
    problems = find_folder_problems(root, landmark_tables=tables, dense_tables=dense_tables)
    if problems:
        shown = problems[:20]
        more = f'\n  ... and {len(problems) - 20} more' if len(problems) > 20 else ''
        raise FaceFolderError(
            f'{root}: {len(problems)} problem(s):\n  ' + '\n  '.join(shown) + more
        )


def prepare_prior_bank(
    root: str,
    tables: Dict[str, str],
    out: str,
    num_classes: int,
    canvas: int = 128,
    dense_tables: Optional[Dict[str, str]] = None,
) -> str:
    """Fit the prior bank (paper Eq. 5) on the train split; neighbours of every split.

    With ``dense_tables`` (68 points per split) the bank keeps its images' 68 points, for the
    dense prior (``LoadFacePrior(dense=True)``, the ``accurate`` model).
    """
    import cv2

    from ..datasets.landmark_table import image_key, read_landmark_table
    from ..datasets.prior_bank import NUM_DENSE_POINTS, PriorBank

    def samples(split):
        table = read_landmark_table(tables[split])
        names = sorted(split_images(root, split))
        return names, [table[image_key(n)] for n in names]

    names, points = samples('train')
    labels = [
        cv2.imread(osp.join(root, 'annotations', 'train', f'{n}.png'), cv2.IMREAD_UNCHANGED)
        for n in names
    ]
    dense = None
    if dense_tables is not None:
        table68 = read_landmark_table(dense_tables['train'], NUM_DENSE_POINTS)
        dense = [table68[image_key(n)] for n in names]
    bank = PriorBank.build(names, labels, points, num_classes, canvas, dense_landmarks=dense)
    for split in tables:
        bank.precompute_neighbours(*samples(split), num_neighbors=5)
    os.makedirs(osp.dirname(out) or '.', exist_ok=True)
    bank.save(out)
    return out


def _set_schedule(cfg, iters: int, val_interval: int, lr: float) -> None:
    """AdamW at ``lr`` with poly decay over ``iters``; last checkpoint, logs and a progress bar."""
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=iters, val_interval=val_interval)
    cfg.optim_wrapper.optimizer.lr = lr
    cfg.param_scheduler = [
        dict(type='PolyLR', eta_min=lr / 50, power=0.9, begin=0, end=iters, by_epoch=False)
    ]
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', by_epoch=False, interval=iters, max_keep_ckpts=2
    )
    cfg.default_hooks.logger = dict(
        type='LoggerHook', interval=max(1, min(50, iters // 10)), log_metric_by_epoch=False
    )
    cfg.custom_hooks = [h for h in cfg.get('custom_hooks', []) if h['type'] != 'ProgressBarHook']
    cfg.custom_hooks.append(dict(type='ProgressBarHook'))


def finetune_config(
    root: str,
    work_dir: str,
    tables: Dict[str, str],
    bank: str,
    model: str = 'fast',
    iters: int = 1000,
    batch_size: int = 8,
    lr: float = 5e-4,
    dense_tables: Optional[Dict[str, str]] = None,
):
    """The config that fine-tunes shipped ``model`` on the folder (an mmengine ``Config``).

    The shipped recipe (crop, augmentation, prior, Bayes' rule, class-weighted loss) with the
    folder's data (:class:`~rednet_mmseg.datasets.FaceFolderDataset`), classes, class
    weights (``w = share ** -0.5``, as the recipe's), left/right pairs from the class names
    (``left_*``/``right_*``, ``l_*``/``r_*``; other classes are never swapped) and prior bank;
    AdamW at ``lr`` with poly decay over ``iters``; the shipped weights as ``load_from``.
    Scored with the mean F1 over the classes but background (and the Helen protocol when the
    classes are Helen's). A model with the dense prior (``accurate``) needs ``dense_tables``
    (68 points per split, :func:`prepare_landmarks` with ``num_points=68``) and a bank made
    with them (:func:`prepare_prior_bank`).
    """
    import copy

    from mmengine.config import Config

    from ..datasets import HelenDataset
    from ..datasets.class_statistics import class_weights
    from ..models.segmentors.face_tta_model import pairs_from_names
    from ..utils.pipeline_edit import set_step_args
    from .face_parsing_inferencer import config_needs_dense_points
    from .model_zoo import shipped_model

    shipped = shipped_model(model)
    cfg = Config.fromfile(shipped['config'])
    dense = config_needs_dense_points(cfg)
    if dense and dense_tables is None:
        raise ValueError(
            f'the {model} model takes 68 face points per image (the dense prior): '
            'give dense_tables (prepare_landmarks(..., num_points=68))'
        )
    classes = read_classes(root)
    pairs = pairs_from_names(classes)
    labels = [
        osp.join(root, 'annotations', 'train', f'{n}.png') for n in split_images(root, 'train')
    ]
    _, weights = class_weights(labels, len(classes))
    set_step_args(cfg, ['LoadFacePrior'], bank_file=bank)
    set_step_args(cfg, ['FaceRandomFlip', 'RandomFlip'], swap_seg_labels=pairs)
    train_pipeline = cfg.train_dataloader.dataset.pipeline
    test_pipeline = cfg.test_dataloader.dataset.pipeline

    def dataset(split, pipeline):
        if dense:  # each split's own 68-point table
            pipeline = copy.deepcopy(pipeline)
            for step in pipeline:
                if step['type'] == 'LoadFaceLandmarks':
                    step['dense_landmarks_file'] = osp.abspath(dense_tables[split])
        return dict(
            type='FaceFolderDataset',
            data_root=osp.abspath(root),
            split=split,
            landmarks_file=osp.abspath(tables[split]),
            pipeline=pipeline,
        )

    cfg.train_dataloader.batch_size = batch_size
    cfg.train_dataloader.dataset = dataset('train', train_pipeline)
    cfg.test_dataloader.dataset = dataset('test', test_pipeline)
    helen = tuple(classes) == tuple(HelenDataset.METAINFO['classes'])
    protocol = 'helen' if helen else 'mean_f1'
    cfg.test_evaluator = dict(type='FaceParsingMetric', protocol=protocol)
    if 'val' in tables:
        cfg.val_dataloader.dataset = dataset('val', test_pipeline)
        cfg.val_evaluator = cfg.test_evaluator
        val_interval = max(1, iters // 4)
    else:
        cfg.val_dataloader = cfg.val_evaluator = cfg.val_cfg = None
        val_interval = iters + 1
    head = cfg.model.decode_head
    head.num_classes = len(classes)
    _fit_losses(head, weights)
    _set_schedule(cfg, iters, val_interval, lr)
    cfg.load_from = osp.abspath(shipped['weights'])
    cfg.work_dir = osp.abspath(work_dir)
    cfg.data_root = osp.abspath(root)
    for key in (
        'load_prior',
        'load_points',
        'train_pipeline',
        'test_pipeline',
        'prior_bank',
        'dense_landmarks',
        'dataset_type',
    ):
        cfg.pop(key, None)  # the shipped config's copies, now stale
    return cfg


def model_needs_dense_points(model: str) -> bool:
    """Whether shipped ``model`` takes each face's 68 points (the dense prior: ``accurate``)."""
    from mmengine.config import Config

    from .face_parsing_inferencer import config_needs_dense_points
    from .model_zoo import shipped_model

    return config_needs_dense_points(Config.fromfile(shipped_model(model)['config']))


def _fit_losses(head, weights) -> None:
    """Fit the decode losses of a shipped config to the user's ``len(weights)`` classes.

    Cross-entropies take the user's class weights; a ``FaceDiceLoss`` (both shipped models)
    scores every class but the first (the background).
    """
    losses = head.loss_decode if isinstance(head.loss_decode, (list, tuple)) else [head.loss_decode]
    for loss in losses:
        if loss.type == 'FaceDiceLoss':
            loss.classes = list(range(1, len(weights)))
            continue
        loss.class_weight = [round(float(w), 3) for w in weights]
        if loss.type == 'CrossEntropyLoss':  # its class weights fail on 255 (mmseg 1.2.2)
            loss.type = 'FaceCrossEntropyLoss'


def write_config(cfg, work_dir: str, name: str):
    """Dump ``cfg`` to ``work_dir/<name>.py`` (what ``tools/train.py`` reruns).

    Returns ``(path, config read back from it)``: the runner then names its copy after it.
    """
    from mmengine.config import Config

    os.makedirs(work_dir, exist_ok=True)
    path = osp.join(work_dir, f'{name}.py')
    cfg.dump(path)
    return path, Config.fromfile(path)


def run_finetune(cfg) -> Dict:
    """Train ``cfg`` from its ``load_from``, then test the result.

    Returns ``dict(checkpoint, metrics, unloaded)``; ``unloaded``: the report of the weights
    that did not load (e.g. a new classifier), or None.
    """
    from mmengine.runner import Runner
    from mmseg.registry import RUNNERS

    from ..utils.checkpoint_fit import report_load_from

    runner = RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(cfg)
    unloaded = report_load_from(runner)
    runner.train()
    metrics = runner.test()
    checkpoint = osp.join(cfg.work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')
    return dict(checkpoint=checkpoint, metrics=metrics, unloaded=unloaded)


def score_lines(metrics: Dict[str, float]) -> List[str]:
    """The scores a user reads first: mean F1, per class F1, Helen overall where scored."""
    lines = [f'mean F1 (classes but background): {metrics["mF1"]:.2f}']
    if 'F1.overall' in metrics:
        lines.append(f'Helen overall F1: {metrics["F1.overall"]:.2f}')
    lines.append(f'pixel accuracy: {metrics["aAcc"]:.2f}')
    per_class = [
        f'{k.split(".", 1)[1]} {v:.2f}'
        for k, v in metrics.items()
        if k.startswith('classF1.') and not np.isnan(v)
    ]
    lines.append('F1 per class: ' + ', '.join(per_class))
    return lines
