"""NumClassCheckHook stops a run whose heads disagree with the data set's classes."""

import types

import pytest
from mmseg.models.decode_heads import FCNHead
from torch import nn

from rednet_mmseg.engine.hooks import NumClassCheckHook


def _runner(num_classes, aux_classes=None, classes=('bg', 'skin', 'hair')):
    model = nn.Module()
    model.decode_head = FCNHead(in_channels=4, channels=4, num_classes=num_classes)
    if aux_classes is not None:
        model.auxiliary_head = nn.ModuleList(
            [FCNHead(in_channels=4, channels=4, num_classes=n) for n in aux_classes]
        )
    dataset = types.SimpleNamespace(metainfo=dict(classes=classes), data_root='data/lfw')
    loader = types.SimpleNamespace(dataset=dataset)
    loop = types.SimpleNamespace(dataloader=loader)
    return types.SimpleNamespace(model=model, train_loop=loop, val_loop=loop, test_loop=loop)


def test_matching_heads_pass():
    """Every head agrees with the data set, and a head off by one fails.

    Each stage's check passes; the same runner with one auxiliary head off by one fails at each
    stage (so the pass is a real comparison).
    """
    hook = NumClassCheckHook()
    stages = (hook.before_train, hook.before_val, hook.before_test)
    runner = _runner(3, aux_classes=(3, 3))
    assert [stage(runner) for stage in stages] == [None, None, None]
    runner.model.auxiliary_head[1].num_classes = 4
    for stage in stages:
        with pytest.raises(ValueError, match='auxiliary_head'):
            stage(runner)


def test_wrong_decode_head_is_named():
    with pytest.raises(
        ValueError,
        match=r'model.decode_head.num_classes=11 but the training '
        r"data set .*data_root='data/lfw'.* has 3 classes",
    ):
        NumClassCheckHook().before_train(_runner(11))


def test_wrong_cascade_auxiliary_head_is_named():
    with pytest.raises(
        ValueError,
        match=r'model.auxiliary_head\[1\].num_classes=19 but the '
        r'test data set',
    ):
        NumClassCheckHook().before_test(_runner(3, aux_classes=(3, 19)))
