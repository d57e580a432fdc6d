from .channels_last_hook import ChannelsLastHook
from .finite_loss_hook import FiniteLossHook, NonFiniteLossError
from .num_class_check_hook import NumClassCheckHook

__all__ = ['ChannelsLastHook', 'FiniteLossHook', 'NonFiniteLossError', 'NumClassCheckHook']
