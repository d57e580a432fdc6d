"""Publish a trained face-parsing model into the package's model zoo (or any folder).

Usage:
    python tools/misc/publish_model.py CONFIG CHECKPOINT PRIOR_BANK --name NAME
        [--out-dir rednet_mmseg/model_zoo]

Writes ``NAME.py`` (the resolved config), ``NAME.pth`` (weights only: ``state_dict`` and
``meta.dataset_meta``, no optimizer or message hub) and ``NAME_prior_bank.npz`` (the bank with
its image names replaced by ``bank_000...`` and no precomputed neighbours, so that the bank
holds no data set file names and every image's neighbours are searched), and prints their
sizes and sha256 for the metafile. The checkpoint must fit the config's model exactly.
"""

import argparse
import os
import os.path as osp
import sys

import torch
from mmengine.config import Config

import rednet_mmseg  # noqa: F401
from rednet_mmseg.apis.model_zoo import sha256
from rednet_mmseg.datasets.prior_bank import PriorBank
from rednet_mmseg.utils.checkpoint import safe_load
from rednet_mmseg.utils.checkpoint_fit import (
    CheckpointMismatchError,
    build_model_of,
    check_checkpoint_fits,
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('prior_bank')
    parser.add_argument('--name', required=True)
    parser.add_argument('--out-dir', default='rednet_mmseg/model_zoo')
    args = parser.parse_args(argv)
    try:
        cfg = Config.fromfile(args.config)
        ckpt = safe_load(args.checkpoint, map_location='cpu')
        model = build_model_of(cfg)
        check_checkpoint_fits(model, ckpt, args.checkpoint)
        bank = PriorBank.load(args.prior_bank)
    except (OSError, RuntimeError, ValueError, CheckpointMismatchError) as err:
        raise SystemExit(f'error: {err}')
    os.makedirs(args.out_dir, exist_ok=True)
    out = osp.join(args.out_dir, args.name)
    meta = dict(dataset_meta=ckpt.get('meta', {}).get('dataset_meta'))
    own = model.state_dict()  # drops buffers the config sets (not part of a checkpoint)
    state = {k: v for k, v in ckpt['state_dict'].items() if torch.is_tensor(v) and k in own}
    torch.save(dict(state_dict=state, meta=meta), out + '.pth')
    cfg.dump(out + '.py')
    bank.anonymised().save(out + '_prior_bank.npz')
    for suffix in ('.py', '.pth', '_prior_bank.npz'):
        path = out + suffix
        print(f'{path}: {os.path.getsize(path) / 1e6:.2f} MB, sha256 {sha256(path)}')


if __name__ == '__main__':
    sys.exit(main())
