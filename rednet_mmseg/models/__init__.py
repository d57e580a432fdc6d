from .backbones import *  # noqa: F401,F403
from .decode_heads import *  # noqa: F401,F403
from .utils import *  # noqa: F401,F403
from .backbones import __all__ as _backbones
from .decode_heads import __all__ as _heads
from .utils import __all__ as _utils

__all__ = [*_backbones, *_heads, *_utils]
