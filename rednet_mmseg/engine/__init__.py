"""MMEngine components of the plugin."""

from .hooks import (
    ChannelsLastHook,
    FiniteLossHook,
    FuseConvBNHook,
    NonFiniteLossError,
    NumClassCheckHook,
)
from .runner import FaceRunner

__all__ = [
    'ChannelsLastHook',
    'FaceRunner',
    'FiniteLossHook',
    'FuseConvBNHook',
    'NonFiniteLossError',
    'NumClassCheckHook',
]
