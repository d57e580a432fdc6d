"""A checkpoint must fit its model: counts and examples of what does not."""

import logging

import pytest
import torch
from torch import nn

from rednet_mmseg.utils.checkpoint_fit import (
    CheckpointMismatchError,
    check_checkpoint_fits,
    compare_state_dicts,
)


def _net(classes=11):
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Conv2d(4, classes, 1))


def test_a_fitting_checkpoint_passes_with_or_without_wrapping():
    net = _net()
    sd = net.state_dict()
    assert check_checkpoint_fits(net, dict(state_dict=sd), 'a.pth') == (
        dict(missing=[], unexpected=[], mismatched=[]),
        None,
    )
    wrapped = {'module.' + k: v for k, v in sd.items() if 'num_batches' not in k}
    assert check_checkpoint_fits(net, dict(state_dict=wrapped), 'a.pth')[1] is None


def test_other_class_count_is_refused_with_counts_and_examples():
    ckpt = dict(state_dict=_net(classes=5).state_dict())
    with pytest.raises(CheckpointMismatchError) as err:
        check_checkpoint_fits(_net(), ckpt, 'five.pth')
    msg = str(err.value)
    assert msg.startswith('five.pth: the checkpoint does not fit the model')
    assert '0 of 9 model weights missing, 2 of another shape, 0 unexpected' in msg
    assert '2.weight (checkpoint (5, 4, 1, 1), model (11, 4, 1, 1))' in msg
    assert '--allow-partial' in msg


def test_keys_that_match_nothing_are_refused():
    ckpt = dict(state_dict={f'backbone.w{i}': torch.zeros(2) for i in range(7)})
    report = compare_state_dicts(_net(), ckpt['state_dict'])
    assert len(report['missing']) == 8 and len(report['unexpected']) == 7  # not the counter
    with pytest.raises(CheckpointMismatchError, match='8 of 9 model weights missing'):
        check_checkpoint_fits(_net(), ckpt, 'random.pth')


def test_allow_partial_warns_loudly(caplog):
    logger = logging.getLogger('fit-test')
    with caplog.at_level(logging.WARNING, logger='fit-test'):
        _, msg = check_checkpoint_fits(
            _net(), dict(state_dict=_net(5).state_dict()), 'five.pth', True, logger
        )
    assert msg and 'PARTIAL WEIGHTS: five.pth' in caplog.text


def test_config_set_buffers_may_be_absent_or_present():
    net = _net()
    net.register_buffer('log_t', torch.zeros(()), persistent=False)
    sd = dict(net.state_dict(), log_t=torch.zeros(()))  # an older checkpoint saved it
    assert check_checkpoint_fits(net, sd, 'old.pth')[1] is None
