from .hooks import ChannelsLastHook, FiniteLossHook, NonFiniteLossError, NumClassCheckHook

__all__ = ['ChannelsLastHook', 'FiniteLossHook', 'NonFiniteLossError', 'NumClassCheckHook']
