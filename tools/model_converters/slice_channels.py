"""Cut a trained checkpoint down to a narrower model of the same structure: a starting point.

Usage: python tools/model_converters/slice_channels.py SRC.pth CONFIG OUT.pth

Every tensor of SRC keeps its first ``n`` entries along each axis where CONFIG's model has ``n``
(e.g. the tiny RED-Net's 16-128 channels cut to 8-64: ``RedNetEncoder(base_channels=8)`` and
its RD-Units): the same channels in every layer, so residual sums, max-unpooling indices and the
classifier stay consistent. The result is not the trained network (half of each layer is gone)
but starts training closer to it than a random initialisation
(``configs/cpu/README.md``, *Levers*). CONFIG's model must have every tensor of SRC's, none
larger; anything else is an error naming the tensor. Writes OUT (weights only) atomically,
and never over an existing file.
"""

import argparse
import os

import torch

import rednet_mmseg  # noqa: F401  (registers the components, applies upstream workarounds)


def slice_state_dict(source: dict, target: dict) -> dict:
    """``target``'s keys with ``source``'s values cut to ``target``'s shapes (module docstring).

    Args:
        source (dict): the trained state dict.
        target (dict): the narrower model's state dict (only its shapes are used).
    """
    extra = sorted(set(source) - set(target))
    if extra:
        raise ValueError(f'{extra[0]}: not in the narrower model ({len(extra)} such tensors)')
    out = {}
    for key, want in target.items():
        if key not in source:
            raise ValueError(f'{key}: not in the source checkpoint (another structure?)')
        have = source[key]
        if have.dim() != want.dim() or any(w > h for w, h in zip(want.shape, have.shape)):
            raise ValueError(
                f'{key}: source shape {tuple(have.shape)} cannot be cut to {tuple(want.shape)}'
            )
        out[key] = have[tuple(slice(0, n) for n in want.shape)].clone()
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src')
    parser.add_argument('config')
    parser.add_argument('dst')
    args = parser.parse_args(argv)
    if os.path.exists(args.dst):  # never replaces a file of the user's (the source above all)
        raise SystemExit(f'error: {args.dst} exists; give a new file name for the output')
    from mmengine.config import Config
    from mmseg.registry import MODELS
    from mmseg.utils import register_all_modules

    from rednet_mmseg.utils.checkpoint import safe_load

    register_all_modules()
    ckpt = safe_load(args.src, map_location='cpu')  # never executes code from the file
    source = ckpt.get('state_dict', ckpt)
    target = MODELS.build(Config.fromfile(args.config).model).state_dict()
    try:
        weights = slice_state_dict(source, target)
    except ValueError as err:
        raise SystemExit(f'error: {args.src}: {err}')
    cut = sum(source[k].shape != v.shape for k, v in weights.items())
    tmp = args.dst + '.partial'
    torch.save(dict(state_dict=weights, meta=ckpt.get('meta', {})), tmp)
    os.replace(tmp, args.dst)
    print(f'{len(weights)} tensors ({cut} cut to narrower shapes) written to {args.dst}')


if __name__ == '__main__':
    main()
