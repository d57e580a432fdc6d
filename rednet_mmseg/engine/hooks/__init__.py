"""Runner hooks: finite-loss and class-count checks, channels-last, BN folding, progress."""

from .channels_last_hook import ChannelsLastHook
from .finite_loss_hook import FiniteLossHook, NonFiniteLossError
from .fuse_conv_bn_hook import FuseConvBNHook
from .num_class_check_hook import NumClassCheckHook
from .progress_bar_hook import ProgressBarHook

__all__ = [
    'ChannelsLastHook',
    'FiniteLossHook',
    'FuseConvBNHook',
    'NonFiniteLossError',
    'NumClassCheckHook',
    'ProgressBarHook',
]
