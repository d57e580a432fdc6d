"""Synthetic data in original release formats, for the quick start and the tests."""

from .synthetic_formats import make_synthetic_celebamask_hq, make_synthetic_lapa, make_synthetic_lfw
from .synthetic_helen import make_synthetic_helen
from .synthetic_identities import make_synthetic_identities

__all__ = [
    'make_synthetic_celebamask_hq',
    'make_synthetic_helen',
    'make_synthetic_identities',
    'make_synthetic_lapa',
    'make_synthetic_lfw',
]
