"""Converters from the original releases to the mmseg layout (``docs/en/datasets.md``)."""

from .celebamask_hq import convert_celebamask_hq
from .common import ConversionError, atomic_output_dir
from .helen import convert_helen
from .lapa import convert_lapa
from .lfw import convert_lfw

__all__ = [
    'ConversionError',
    'atomic_output_dir',
    'convert_celebamask_hq',
    'convert_helen',
    'convert_lapa',
    'convert_lfw',
]
