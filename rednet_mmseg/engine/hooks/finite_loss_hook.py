"""Stop training on a non-finite loss before anything is written."""
import math

import torch
from mmengine.hooks import Hook
from mmseg.registry import HOOKS


class NonFiniteLossError(RuntimeError):
    """The training loss became NaN or infinite."""


@HOOKS.register_module()
class FiniteLossHook(Hook):
    """Raise :class:`NonFiniteLossError` as soon as a training loss is NaN or inf.

    It runs after every iteration with a higher priority than ``CheckpointHook``, so the run
    stops with a message naming the iteration and the loss terms before a checkpoint of the
    diverged weights can be written. Enable it with
    ``custom_hooks = [dict(type='FiniteLossHook')]`` (on in every config of this project).
    """
    priority = 'ABOVE_NORMAL'

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        bad = {k: float(v) for k, v in (outputs or {}).items()
               if 'loss' in k and isinstance(v, torch.Tensor) and v.numel() == 1
               and not math.isfinite(float(v))}
        if bad:
            raise NonFiniteLossError(
                f'non-finite loss at iteration {runner.iter + 1}: {bad}; training stopped and '
                'no checkpoint of these weights was written. Lower the learning rate, check '
                'the data, or resume from the last good checkpoint with --resume.')
