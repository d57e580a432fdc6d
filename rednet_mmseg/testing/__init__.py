"""Synthetic data in original release formats, for the quick start and the tests.

Also a group photo composed from a shipped real photograph.
"""

from .group_photo import make_group_photo
from .steady_clip import make_steady_clip
from .synthetic_formats import make_synthetic_celebamask_hq, make_synthetic_lapa, make_synthetic_lfw
from .synthetic_helen import make_synthetic_helen
from .synthetic_identities import make_synthetic_identities

__all__ = [
    'make_group_photo',
    'make_steady_clip',
    'make_synthetic_celebamask_hq',
    'make_synthetic_helen',
    'make_synthetic_identities',
    'make_synthetic_lapa',
    'make_synthetic_lfw',
]
