"""Face parsing scores computed the way the papers compute them."""

import os
import os.path as osp
from collections import OrderedDict
from typing import Dict, Optional, Sequence

import cv2
import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log
from mmseg.registry import METRICS
from prettytable import PrettyTable

#: Helen groups of the reference ``f1_score.py`` (relabeled Helen; EAGRNet, DML-CSR, SegFace)
#: in the column order of the RED-Net paper's Table 1 (hair, not in Table 1, last).
#: Confusions inside a group are hits.
HELEN_GROUPS = OrderedDict(
    [
        ('skin', (1,)),
        ('nose', (6,)),
        ('upper_lip', (7,)),
        ('inner_mouth', (8,)),
        ('lower_lip', (9,)),
        ('brows', (2, 3)),
        ('eyes', (4, 5)),
        ('mouth_all', (7, 8, 9)),
        ('overall', (2, 3, 4, 5, 6, 7, 8, 9)),
        ('hair', (10,)),
    ]
)
#: ``helen``: merged groups (Table 1 layout). ``lfw``: pixel accuracy and F per class (Table 3
#: layout: Acc, F-bg, F-hair, F-skin). ``mean_f1``: per-class F1 and their mean over the
#: foreground classes (LaPa / CelebAMask-HQ convention).
PROTOCOLS = ('helen', 'lfw', 'mean_f1')


def confusion_matrix(
    pred: torch.Tensor, label: torch.Tensor, num_classes: int, ignore_index: int = 255
) -> torch.Tensor:
    """``(num_classes, num_classes)`` int64 counts, rows = ground truth, cols = prediction.

    Args:
        pred (Tensor): ``(H, W)`` predicted class indices.
        label (Tensor): ``(H, W)`` ground truth; ``ignore_index`` pixels are skipped.
        num_classes (int): ``K``.
        ignore_index (int): label value that is not scored. Default: 255.
    """
    valid = label != ignore_index
    label, pred = label[valid].long(), pred[valid].long()
    if label.numel() and (label.min() < 0 or label.max() >= num_classes):
        raise ValueError(
            f'ground truth holds label values outside 0..{num_classes - 1} '
            f'(and ignore_index {ignore_index}): {torch.unique(label).tolist()}'
        )
    return torch.bincount(label * num_classes + pred, minlength=num_classes**2).reshape(
        num_classes, num_classes
    )


def group_f1(conf: np.ndarray, group: Sequence[int]) -> float:
    """F1(G) = 2 |gt in G and pred in G| / (|gt in G| + |pred in G|) from a confusion matrix."""
    g = list(group)
    hits = conf[np.ix_(g, g)].sum()
    denom = conf[g, :].sum() + conf[:, g].sum()
    return float(2 * hits / denom) if denom else float('nan')


@METRICS.register_module()
class FaceParsingMetric(BaseMetric):
    """Dataset-level face parsing scores (``docs/en/data_formats.md``, "Scoring protocols").

    One confusion matrix is accumulated over the whole split at the ground truth's own
    resolution (mmseg's test pipeline loads annotations after ``Resize`` and the segmentor
    resizes predictions back to ``ori_shape``); nothing is averaged per image. From it:

    - ``F1.<group>`` for the protocol's merged groups (Helen: skin, nose, upper_lip,
      inner_mouth, lower_lip, brows, eyes, mouth_all, hair, overall), where confusions inside
      a group count as correct;
    - ``classF1.<class>`` for every class, ``mF1`` the mean over classes except ``mean_exclude``
      (background), and ``aAcc`` the pixel accuracy. All in percent.

    Args:
        protocol (str): ``'helen'``, ``'lfw'`` or ``'mean_f1'`` (see :data:`PROTOCOLS`): which
            groups are scored and which table is printed. Default: 'helen'.
        groups (dict, optional): ``name -> class indices``, overrides the protocol's groups.
        output_dir (str, optional): also write every prediction as ``<image name>.png``
            (uint8 class indices at the ground truth's resolution).
        mean_exclude (Sequence[int]): classes left out of ``mF1``. Default: (0, ).
        ignore_index (int): ignored label. Default: 255.
        collect_device (str), prefix (str, optional): see :class:`BaseMetric`.
    """

    default_prefix: Optional[str] = None

    def __init__(
        self,
        protocol: str = 'helen',
        groups: Optional[Dict] = None,
        mean_exclude: Sequence[int] = (0,),
        ignore_index: int = 255,
        output_dir: Optional[str] = None,
        collect_device: str = 'cpu',
        prefix: Optional[str] = None,
    ):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if protocol not in PROTOCOLS:
            raise ValueError(
                f'FaceParsingMetric: unknown protocol {protocol!r}; choose from {PROTOCOLS}'
            )
        if groups is None:
            groups = HELEN_GROUPS if protocol == 'helen' else {}
        self.protocol = protocol
        self.groups = OrderedDict((k, tuple(v)) for k, v in groups.items())
        self.output_dir = output_dir
        if output_dir:
            os.makedirs(output_dir, exist_ok=True)
        self.mean_exclude = tuple(mean_exclude)
        self.ignore_index = ignore_index

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Add each sample's confusion matrix at the ground truth's resolution."""
        num_classes = len(self.dataset_meta['classes'])
        for sample in data_samples:
            pred = sample['pred_sem_seg']['data'].squeeze(0)
            label = sample['gt_sem_seg']['data'].squeeze(0).to(pred.device)
            if pred.shape != label.shape:
                raise ValueError(
                    f'{sample.get("img_path", "<image>")}: prediction {tuple(pred.shape)} and '
                    f'ground truth {tuple(label.shape)} differ in size; scores are computed at '
                    'the ground-truth resolution, so load annotations after Resize in the test '
                    'pipeline'
                )
            try:
                conf = confusion_matrix(pred, label, num_classes, self.ignore_index)
            except ValueError as err:
                raise ValueError(f'{sample.get("seg_map_path", "<label>")}: {err}') from None
            self.results.append(conf.cpu().numpy())
            if self.output_dir:
                name = osp.splitext(osp.basename(sample.get('img_path', 'pred')))[0]
                cv2.imwrite(
                    osp.join(self.output_dir, f'{name}.png'), pred.cpu().numpy().astype(np.uint8)
                )

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Pixel accuracy, F1 per group and class, and mean F1 from the summed matrices."""
        conf = np.sum(results, axis=0).astype(np.float64)
        classes = self.dataset_meta['classes']
        metrics = OrderedDict()
        metrics['aAcc'] = 100 * float(np.trace(conf) / conf.sum())
        for name, group in self.groups.items():
            metrics[f'F1.{name}'] = 100 * group_f1(conf, group)
        class_f1 = [100 * group_f1(conf, (c,)) for c in range(len(classes))]
        fg = [f for c, f in enumerate(class_f1) if c not in self.mean_exclude and not np.isnan(f)]
        metrics['mF1'] = float(np.mean(fg)) if fg else float('nan')
        for name, f1 in zip(classes, class_f1):
            metrics[f'classF1.{name}'] = f1
        self._log_tables(metrics, classes)
        return metrics

    def _log_tables(self, metrics, classes):
        logger = MMLogger.get_current_instance()
        if self.protocol == 'lfw':  # paper Table 3 layout
            cols = [('Acc', 'aAcc')] + [
                (f'F-{c}', f'classF1.{c}') for c in ('background', 'hair', 'skin') if c in classes
            ]
            table = PrettyTable(field_names=[c.replace('background', 'bg') for c, _ in cols])
            table.add_row([f'{metrics[k]:.2f}' for _, k in cols])
            print_log(
                'LFW-PL scores (percent, Table 3 layout):\n' + table.get_string(), logger=logger
            )
        if self.groups:
            # the mean F1 beside the groups: "overall" counts confusions between face parts as
            # hits (a network that labels every part "upper lip" can score 80 overall)
            table = PrettyTable(field_names=list(self.groups) + ['mean F1'])
            table.add_row(
                [f'{metrics[f"F1.{g}"]:.2f}' for g in self.groups] + [f'{metrics["mF1"]:.2f}']
            )
            print_log(
                'F1 per group (percent, Table 1 layout):\n' + table.get_string(), logger=logger
            )
        table = PrettyTable(field_names=['class', 'F1'])
        for name in classes:
            table.add_row([name, f'{metrics[f"classF1.{name}"]:.2f}'])
        print_log('F1 per class (percent):\n' + table.get_string(), logger=logger)
        print_log(f'aAcc {metrics["aAcc"]:.2f}  mF1 {metrics["mF1"]:.2f}', logger=logger)
