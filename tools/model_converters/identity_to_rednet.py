"""Keep RE-Net units 1-5 of an identity-pretrained mmpretrain checkpoint.

Paper: "only the first five units are preserved ... the sixth unit is removed".

Usage: python tools/model_converters/identity_to_rednet.py PRETRAIN.pth OUT.pth

OUT holds the encoder's weights (stem and units 0-4, no prefix), loadable by
``RedNetEncoder(init_cfg=dict(type='Pretrained', checkpoint=OUT))``.
"""

import argparse
import os

import torch

from rednet_mmseg.utils.checkpoint import safe_load


def convert(state_dict: dict, num_units: int = 5) -> dict:
    out = {}
    for key, value in state_dict.items():
        if not key.startswith('backbone.'):
            continue  # neck, d=1024 feature layer and identity classifier are dropped
        key = key[len('backbone.') :]
        if key.startswith('units.') and int(key.split('.')[1]) >= num_units:
            continue  # the sixth unit is task specific
        out[key] = value
    if not out:
        raise ValueError(
            'no backbone.* weights found: is this an identity-pretraining '
            'checkpoint of RedNetEncoder?'
        )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src')
    parser.add_argument('dst')
    args = parser.parse_args()
    ckpt = safe_load(args.src, map_location='cpu')  # never executes code from the file
    weights = convert(ckpt.get('state_dict', ckpt))
    tmp = args.dst + '.partial'
    torch.save(dict(state_dict=weights), tmp)
    os.replace(tmp, args.dst)
    units = sorted({k.split('.')[1] for k in weights if k.startswith('units.')})
    print(f'{len(weights)} tensors (stem + units {", ".join(units)}) written to {args.dst}')


if __name__ == '__main__':
    main()
