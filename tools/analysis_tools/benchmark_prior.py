"""Cost of the adaptive prior: its share of inference time and the bank build time.

Usage:
    python tools/analysis_tools/benchmark_prior.py [--config CONFIG] [--shape 224 224]
        [--bank-size 300] [--iters 10] [--device cpu]

Inference share at HxW: the prior's work per image is the data-side kNN lookup + warp of the
neighbours' maps (``PriorBank.prior_for_image``) plus the score refinement of Eq. 6-8
(``refine_with_prior``); it is compared with the network's own inference of the same image.
Bank build time: ``build_prior_bank`` (``tools/misc/build_prior_bank.py``) on a synthetic
Helen-format data set of ``--bank-size`` bank images (read, PCA, alignment, neighbours of every
image), per 1000 images.
"""

import argparse
import os.path as osp
import tempfile

import torch
from mmengine.config import Config
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from rednet_mmseg.datasets import PriorBank
from rednet_mmseg.datasets.converters import convert_helen
from rednet_mmseg.datasets.prior_bank import load_split
from rednet_mmseg.datasets.prior_bank_builder import build_prior_bank
from rednet_mmseg.datasets.transforms.loading import read_landmarks
from rednet_mmseg.models import refine_with_prior
from rednet_mmseg.testing import make_synthetic_helen
from rednet_mmseg.utils.timing import seconds_per_call

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _time(fn, iters):
    """Seconds per call: the mean of ``iters`` calls after one warm-up."""
    return seconds_per_call(fn, iters)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--config',
        default=osp.join(REPO, 'configs/rednet/rednet_re5-rd5a_8xb8-prior-8k_helen-224x224.py'),
    )
    parser.add_argument('--shape', type=int, nargs=2, default=[224, 224])
    parser.add_argument('--bank-size', type=int, default=300)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()
    h, w = args.shape

    with tempfile.TemporaryDirectory() as tmp:
        make_synthetic_helen(
            osp.join(tmp, 'src'),
            num_train=args.bank_size // 2,
            num_val=args.bank_size,
            num_test=args.bank_size // 2,
            seed=1,
        )
        root = osp.join(tmp, 'helen')
        convert_helen(osp.join(tmp, 'src'), root, progress=False)
        _, bank_file, build_s = build_prior_bank(root)
        bank = PriorBank.load(bank_file)
        names, _, lm_paths = load_split(root, 'test')
        lm = read_landmarks(lm_paths[0])
    n_images = len(bank.neighbours)
    # landmarks of a face filling a HxW crop
    scale = w / (lm[:, 0].max() - lm[:, 0].min()) / 2.5
    lm = (lm - lm.mean(0)) * scale + [w / 2, h / 2]
    lookup_s = _time(lambda: bank.prior_for_image(lm, (h, w), num_neighbors=5), args.iters)

    init_default_scope('mmseg')
    cfg = Config.fromfile(args.config)
    model = revert_sync_batchnorm(MODELS.build(cfg.model)).to(args.device).eval()
    x = torch.rand(1, 3, h, w, device=args.device)
    prior = torch.from_numpy(bank.prior_for_image(lm, (h, w)).transpose(2, 0, 1))[None].to(
        args.device
    )
    with torch.no_grad():
        logits = model.encode_decode(x, [dict(img_shape=(h, w), ori_shape=(h, w))])
        net_s = _time(
            lambda: model.encode_decode(x, [dict(img_shape=(h, w), ori_shape=(h, w))]), args.iters
        )
        refine_s = _time(lambda: refine_with_prior(logits, prior), args.iters)
    share = (lookup_s + refine_s) / (net_s + lookup_s + refine_s)
    print(
        f'input {h}x{w}, {args.device}, {torch.get_num_threads()} threads, '
        f'{osp.basename(args.config)}'
    )
    print(f'network inference      {1000 * net_s:8.2f} ms/image')
    print(f'prior lookup + warp    {1000 * lookup_s:8.2f} ms/image (data pipeline)')
    print(f'refinement Eq. 6-8     {1000 * refine_s:8.2f} ms/image')
    print(f'prior share of inference time: {100 * share:.2f} %')
    print(
        f'bank build: {args.bank_size} bank images, neighbours of {n_images} images in '
        f'{build_s:.2f} s = {1000 * build_s / n_images:.2f} s per 1000 images '
        '(includes interpreter start-up)'
    )


if __name__ == '__main__':
    main()
