"""The face-parsing models that ship inside the package, so photos parse with no training.

``rednet_mmseg/model_zoo/`` holds the models of :data:`SHIPPED_MODELS` (``fast``, the default,
and ``accurate``, with the dense prior):
tiny RED-Nets + adaptive prior (``configs/cpu/``) trained on real Helen photographs whose labels
were made by a published face parser (BiSeNet trained on CelebAMask-HQ), so their scores measure
agreement with that parser, not Helen accuracy. Files of each (``tools/misc/publish_model.py``
writes them):

- ``<name>.py``: the resolved config;
- ``<name>.pth``: weights only (``state_dict`` + ``meta.dataset_meta``), loaded weights-only;
- ``<name>_prior_bank.npz``: the adaptive prior's bank (aligned label maps and their 5-point
  shapes, and 68-point shapes for the dense prior; no photos), without precomputed neighbours,
  so every image's neighbours are searched;
- ``metafile.yaml``: results, sha256, training command and provenance (mmseg's format).
"""

import hashlib
import os.path as osp
from typing import Dict

#: The shipped models by the name a user picks (``FaceParsingInferencer(model='fast')``,
#: ``--model fast`` of the parsing tools) -> their file names in :data:`MODEL_ZOO_DIR`.
SHIPPED_MODELS = {
    'fast': 'rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-dice-ft1k_realhelenv2-128x128',
    'accurate': (
        'rednet_re5-tiny-rd5a_1xb8-denseprior-n10-bayes-wce-dice-ft1500_realhelenv2-128x128'
    ),
}
#: The model used when no config and checkpoint are given.
DEFAULT_MODEL = 'fast'
MODEL_ZOO_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'model_zoo')


def is_shipped_model(model) -> bool:
    """Whether ``model`` (an inferencer's or a tool's ``model``) names a shipped model."""
    return model is None or (
        isinstance(model, str) and (model in SHIPPED_MODELS or model in SHIPPED_MODELS.values())
    )


def shipped_model(name: str = DEFAULT_MODEL) -> Dict[str, str]:
    """``dict(config=, weights=, prior_bank=)`` paths of a shipped model.

    Args:
        name (str): a key of :data:`SHIPPED_MODELS` (``'fast'``, ...) or a file name.

    A clear error for an unknown name, or when the package was installed without the files.
    """
    if name not in SHIPPED_MODELS.values():
        if name not in SHIPPED_MODELS:
            raise ValueError(
                f'{name!r} is not a shipped model; choose one of {sorted(SHIPPED_MODELS)} or '
                'give a config and a checkpoint'
            )
        name = SHIPPED_MODELS[name]
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


def resolve_model(model=None, weights=None, prior_bank=None):
    """``(config, weights, prior_bank)`` for an inferencer or a tool.

    ``model`` None or a shipped model's name: that model's files, where ``weights`` and
    ``prior_bank`` given explicitly still win; anything else (a config file or object) is
    returned as given.
    """
    if not is_shipped_model(model):
        return model, weights, prior_bank
    files = shipped_model(DEFAULT_MODEL if model is None else model)
    return files['config'], weights or files['weights'], prior_bank or files['prior_bank']


def sha256(path: str) -> str:
    """Hex sha256 of a file (the metafile's ``Weights`` checksum)."""
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()
