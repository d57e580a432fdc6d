"""RED-Net and its relatives, registered in mmseg's ``MODELS``."""

from .backbones import *  # noqa: F401,F403
from .backbones import __all__ as _backbones
from .data_preprocessors import *  # noqa: F401,F403
from .data_preprocessors import __all__ as _preprocessors
from .decode_heads import *  # noqa: F401,F403
from .decode_heads import __all__ as _heads
from .losses import *  # noqa: F401,F403
from .losses import __all__ as _losses
from .segmentors import *  # noqa: F401,F403
from .segmentors import __all__ as _segmentors
from .utils import *  # noqa: F401,F403
from .utils import __all__ as _utils

__all__ = [*_backbones, *_preprocessors, *_heads, *_losses, *_segmentors, *_utils]
