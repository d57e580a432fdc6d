"""Score a folder of label maps from any face parser with the published protocols.

Usage:
    python tools/analysis_tools/score_predictions.py PRED_DIR GT_DIR
        [--protocol helen|lfw|mean_f1] [--dataset helen|lfw|lapa|celebamaskhq]
        [--class-map MAP] [--gt-class-map MAP] [--worst N]

Every ground-truth label map ``GT_DIR/<name>.png`` (uint8 class indices, as the converters
write them: ``data/helen/annotations/test``) needs a prediction ``PRED_DIR/<name>.png`` of the
same size (predictions are scored at the ground truth's resolution, as the papers do; resize
yours with nearest neighbour first if your model predicts at another size). The scores are
computed by the same code as ``FaceParsingMetric`` (one confusion matrix over the whole split;
Helen's merged groups, LFW-PL's Table 3 layout or the mean F1), so they match ``tools/test.py``
exactly.

``--class-map`` relabels the predictions when your parser orders its classes otherwise: a
comma-separated list whose i-th entry is the index (in ``--dataset``'s classes) of your label
i, or 255 to ignore it, e.g. a 19-class CelebAMask-HQ parser scored on Helen. It may also be
a file holding that list. Pixels with a value the map does not cover are an error naming the
file. ``--gt-class-map`` does the same for the ground truth.

``--worst N`` also lists the N images whose removal would raise the split's headline score
(Helen's overall F1, else the mean F1) most, each with its own score: where to look first for a
failure of the parser or an error of the labels (the split's scores are not changed).
"""

import argparse
import sys

from rednet_mmseg.evaluation.metrics.face_parsing_metric import PROTOCOLS
from rednet_mmseg.evaluation.score_predictions import (
    DATASETS,
    HEADLINE,
    ScoreError,
    score_images,
    worst_images,
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pred_dir')
    parser.add_argument('gt_dir')
    parser.add_argument('--protocol', choices=PROTOCOLS, default='helen')
    parser.add_argument('--dataset', choices=sorted(DATASETS), help='class names and count')
    parser.add_argument('--class-map', help="your label i -> index in --dataset's classes")
    parser.add_argument('--gt-class-map', help='the same for the ground truth')
    parser.add_argument(
        '--worst',
        type=int,
        default=0,
        metavar='N',
        help="also list the N images that pull the split's headline score (Helen: overall "
        'F1; otherwise mean F1) down most: their own score and the split without them',
    )
    args = parser.parse_args(argv)
    if args.worst < 0:
        parser.error(f'--worst must be 0 or more, got {args.worst}')
    try:
        metrics, names, confs = score_images(
            args.pred_dir,
            args.gt_dir,
            args.protocol,
            args.dataset,
            args.class_map,
            args.gt_class_map,
        )
    except ScoreError as err:
        raise SystemExit(f'error: {err}')
    keys = [k for k in metrics if k.startswith('F1.')] + ['mF1', 'aAcc']
    print(
        f'{len(names)} image(s) scored ({args.protocol}): '
        + ', '.join(f'{k} {metrics[k]:.2f}' for k in keys)
    )
    if args.worst:
        key = HEADLINE[args.protocol]
        print(f'images that pull {key} down most (its own {key}; {key} of the split without it):')
        for row in worst_images(names, confs, args.protocol, args.worst):
            print(
                f'  {row["name"]}: {row["score"]:.2f}; without it {row["without"]:.2f} '
                f'({row["gain"]:+.2f})'
            )


if __name__ == '__main__':
    sys.exit(main())
