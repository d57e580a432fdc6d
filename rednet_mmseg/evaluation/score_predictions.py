"""Scoring a folder of label maps from any face parser with the published protocols.

The library half of ``tools/analysis_tools/score_predictions.py`` (which parses arguments and
prints): :func:`score` reads ``GT_DIR/<name>.png`` and ``PRED_DIR/<name>.png`` pairs and
computes the metrics of ``FaceParsingMetric`` (one confusion matrix over the split), so they
match ``tools/test.py`` exactly; class maps relabel another parser's order. Every problem is a
:class:`ScoreError` naming the file.
"""

import glob
import os.path as osp

import cv2
import numpy as np
import torch

from ..datasets import (
    CelebAMaskHQDataset,
    HelenDataset,
    LaPaDataset,
    LFWPartLabelsDataset,
)
from .metrics.face_parsing_metric import HELEN_GROUPS, FaceParsingMetric, group_f1

DATASETS = dict(
    helen=HelenDataset,
    lfw=LFWPartLabelsDataset,
    lapa=LaPaDataset,
    celebamaskhq=CelebAMaskHQDataset,
)
DEFAULT_DATASET = dict(helen='helen', lfw='lfw', mean_f1='helen')


class ScoreError(ValueError):
    """A prediction or ground-truth file that cannot be scored; the message names it."""


def parse_class_map(text, num_classes: int, what: str) -> np.ndarray:
    """A ``(256,)`` uint8 lookup table from ``'a,b,c'`` or a file holding it.

    255 = ignore; values not listed map to 254, which :func:`relabel` reports.
    """
    if text is None:
        return None
    if osp.isfile(text):
        with open(text) as f:
            text = f.read()
    try:
        values = [int(v) for v in text.replace('\n', ',').split(',') if v.strip()]
    except ValueError:
        raise ScoreError(f'{what}: expected comma-separated class indices, got {text!r}') from None
    bad = [v for v in values if not (0 <= v < num_classes or v == 255)]
    if not values or bad or len(values) > 254:
        raise ScoreError(
            f'{what}: entries must be class indices 0..{num_classes - 1} or 255 (ignore); '
            f'got {values}'
        )
    lut = np.full(256, 254, np.uint8)
    lut[: len(values)] = values
    return lut


def relabel(labels: np.ndarray, lut, path: str) -> np.ndarray:
    """``labels`` through the look-up table ``lut`` (none: as they are); errors name ``path``."""
    if lut is None:
        return labels
    out = lut[labels]
    if (out == 254).any():
        v = int(labels[out == 254][0])
        raise ScoreError(f'{path}: label value {v} is not covered by the class map')
    return out


def read_label(path: str, what: str) -> np.ndarray:
    """A single-channel label map; a missing or unreadable file is a named ScoreError."""
    labels = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if labels is None:
        raise ScoreError(f'{path}: missing, unreadable or corrupt {what}')
    if labels.ndim != 2 or labels.dtype != np.uint8:
        raise ScoreError(
            f'{path}: expected a single-channel uint8 map of class indices, got shape '
            f'{labels.shape} dtype {labels.dtype}'
        )
    return labels


def score(pred_dir, gt_dir, protocol='helen', dataset=None, class_map=None, gt_class_map=None):
    """The metrics of ``FaceParsingMetric`` for the predictions in ``pred_dir``."""
    metrics, names, _ = score_images(pred_dir, gt_dir, protocol, dataset, class_map, gt_class_map)
    return metrics, len(names)


#: The score :func:`worst_images` ranks by, per protocol.
HEADLINE = dict(helen='F1.overall', lfw='mF1', mean_f1='mF1')


def headline_score(conf: np.ndarray, protocol: str, mean_exclude=(0,)) -> float:
    """The protocol's headline score (:data:`HEADLINE`, percent) of a confusion matrix.

    Helen's overall F1 (face parts merged), else the mean F1 over the classes but background,
    computed as ``FaceParsingMetric`` computes them.
    """
    if protocol == 'helen':
        return 100 * group_f1(conf, dict(HELEN_GROUPS)['overall'])
    f1 = [100 * group_f1(conf, (c,)) for c in range(len(conf)) if c not in mean_exclude]
    f1 = [f for f in f1 if not np.isnan(f)]
    return float(np.mean(f1)) if f1 else float('nan')


def worst_images(names, confs, protocol='helen', count=10):
    """The images that pull the split's headline score down most, worst first.

    Args:
        names (list[str]): image names, in the order of ``confs``.
        confs (list[np.ndarray]): each image's confusion matrix (``score_images``).
        protocol (str): which headline score (:data:`HEADLINE`).
        count (int): how many to return.

    Returns:
        list[dict]: ``name``, ``score`` (the image's own headline score), ``without`` (the
        split's score without it), ``gain`` (``without`` minus the split's score).
    """
    total = np.sum(confs, axis=0).astype(np.float64)
    base = headline_score(total, protocol)
    rows = []
    for name, conf in zip(names, confs):
        without = headline_score(total - conf, protocol)
        rows.append(
            dict(
                name=name,
                score=headline_score(conf.astype(np.float64), protocol),
                without=without,
                gain=without - base,
            )
        )
    rows.sort(key=lambda r: -r['gain'])
    return rows[:count]


def score_images(
    pred_dir, gt_dir, protocol='helen', dataset=None, class_map=None, gt_class_map=None
):
    """:func:`score`'s metrics, the image names and each image's confusion matrix."""
    dataset = dataset or DEFAULT_DATASET[protocol]
    classes = DATASETS[dataset].METAINFO['classes']
    lut = parse_class_map(class_map, len(classes), '--class-map')
    gt_lut = parse_class_map(gt_class_map, len(classes), '--gt-class-map')
    if not osp.isdir(gt_dir):
        raise ScoreError(f'{gt_dir}: no such ground-truth folder')
    gts = sorted(glob.glob(osp.join(gt_dir, '*.png')))
    if not gts:
        raise ScoreError(f'{gt_dir}: no ground-truth label maps (*.png)')
    if not osp.isdir(pred_dir):
        raise ScoreError(f'{pred_dir}: no such prediction folder')
    if not glob.glob(osp.join(pred_dir, '*.png')):
        raise ScoreError(f'{pred_dir}: the prediction folder holds no label maps (*.png)')
    metric = FaceParsingMetric(protocol=protocol)
    metric.dataset_meta = dict(classes=classes)
    for gt_path in gts:
        pred_path = osp.join(pred_dir, osp.basename(gt_path))
        if not osp.isfile(pred_path):
            raise ScoreError(f'{pred_path}: no prediction for the ground truth {gt_path}')
        gt = relabel(read_label(gt_path, 'ground truth'), gt_lut, gt_path)
        pred = relabel(read_label(pred_path, 'prediction'), lut, pred_path)
        if pred.shape != gt.shape:
            raise ScoreError(
                f'{pred_path}: prediction is {pred.shape[1]}x{pred.shape[0]} but the ground '
                f'truth {gt_path} is {gt.shape[1]}x{gt.shape[0]} (W x H); predictions are '
                'scored at the ground truth resolution'
            )
        bad = np.unique(pred[(pred >= len(classes)) & (pred != 255)])
        if bad.size:
            raise ScoreError(
                f'{pred_path}: label values {bad.tolist()} outside the {len(classes)} classes of '
                f'{dataset} (use --class-map for another label order)'
            )
        sample = dict(
            pred_sem_seg=dict(data=torch.from_numpy(pred.astype(np.int64))[None]),
            gt_sem_seg=dict(data=torch.from_numpy(gt.astype(np.int64))[None]),
            img_path=pred_path,
            seg_map_path=gt_path,
        )
        try:
            metric.process({}, [sample])
        except ValueError as err:
            raise ScoreError(str(err)) from None
    names = [osp.splitext(osp.basename(p))[0] for p in gts]
    return metric.compute_metrics(metric.results), names, list(metric.results)
