"""The face-parsing model that ships inside the package, so photos parse with no training.

``rednet_mmseg/model_zoo/`` holds one model: the CPU recipe (tiny RED-Net + adaptive prior,
``configs/rednet_helen_cpu.py``) trained on real Helen photographs whose labels were made by a
published face parser (BiSeNet trained on CelebAMask-HQ), so its scores measure agreement with
that parser, not Helen accuracy. Files (``tools/misc/publish_model.py`` writes them):

- ``<name>.py``: the resolved config;
- ``<name>.pth``: weights only (``state_dict`` + ``meta.dataset_meta``), loaded weights-only;
- ``<name>_prior_bank.npz``: the adaptive prior's bank (40 aligned label maps and 5-point
  shapes, no photos), without precomputed neighbours, so every image's neighbours are searched;
- ``metafile.yaml``: results, sha256, training command and provenance (mmseg's format).
"""

import hashlib
import os.path as osp
from typing import Dict

#: The model used when no config and checkpoint are given.
DEFAULT_MODEL = 'rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-6k_realhelen-128x128_iter5000'
MODEL_ZOO_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'model_zoo')


def shipped_model(name: str = DEFAULT_MODEL) -> Dict[str, str]:
    """``dict(config=, weights=, prior_bank=)`` paths of a shipped model.

    A clear error when the package was installed without them.
    """
    files = dict(
        config=osp.join(MODEL_ZOO_DIR, f'{name}.py'),
        weights=osp.join(MODEL_ZOO_DIR, f'{name}.pth'),
        prior_bank=osp.join(MODEL_ZOO_DIR, f'{name}_prior_bank.npz'),
    )
    missing = [p for p in files.values() if not osp.isfile(p)]
    if missing:
        raise FileNotFoundError(
            f'{missing[0]}: the shipped model {name} is not installed with the package; give a '
            'config and a checkpoint instead'
        )
    return files


def sha256(path: str) -> str:
    """Hex sha256 of a file (the metafile's ``Weights`` checksum)."""
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()
