import math

import pytest
import torch

from rednet_mmseg.engine import FiniteLossHook, NonFiniteLossError


class _Runner:
    iter = 41


def test_finite_losses_pass_and_nan_or_inf_stop_with_a_message():
    hook = FiniteLossHook()
    hook.after_train_iter(
        _Runner(), 0, outputs=dict(loss=torch.tensor(0.3), acc=torch.tensor(math.nan))
    )
    for bad in (math.nan, math.inf):
        with pytest.raises(NonFiniteLossError, match='iteration 42') as err:
            hook.after_train_iter(
                _Runner(),
                0,
                outputs={'decode.loss_ce': torch.tensor(bad), 'loss': torch.tensor(bad)},
            )
        assert 'no checkpoint' in str(err.value)


def test_runs_before_checkpointing():
    from mmengine.hooks import CheckpointHook
    from mmengine.runner import get_priority

    assert get_priority(FiniteLossHook.priority) < get_priority(CheckpointHook.priority)
