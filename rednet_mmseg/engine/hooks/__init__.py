from .channels_last_hook import ChannelsLastHook
from .finite_loss_hook import FiniteLossHook, NonFiniteLossError

__all__ = ['ChannelsLastHook', 'FiniteLossHook', 'NonFiniteLossError']
