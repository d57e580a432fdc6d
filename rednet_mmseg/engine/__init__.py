"""MMEngine components of the plugin."""

from .hooks import (
    ChannelsLastHook,
    FiniteLossHook,
    FuseConvBNHook,
    NonFiniteLossError,
    NumClassCheckHook,
)

__all__ = [
    'ChannelsLastHook',
    'FiniteLossHook',
    'FuseConvBNHook',
    'NonFiniteLossError',
    'NumClassCheckHook',
]
