from .helen import HelenDataset
from .prior_bank import PriorBank
from .transforms import *  # noqa: F401,F403
from .transforms import __all__ as _transforms

__all__ = ['HelenDataset', 'PriorBank', *_transforms]
