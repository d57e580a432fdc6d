"""Evaluation of face parsing."""

from .metrics import *  # noqa: F401,F403
from .metrics import __all__

__all__ = list(__all__)
