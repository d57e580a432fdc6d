from .helen import HelenDataset
from .transforms import *  # noqa: F401,F403
from .transforms import __all__ as _transforms

__all__ = ['HelenDataset', *_transforms]
