"""ProgressBarHook: one bar over the training iterations, from where training starts."""

import types

import torch

from rednet_mmseg.engine.hooks import ProgressBarHook


def test_counts_iterations_from_the_start_iteration(capsys):
    hook = ProgressBarHook()
    runner = types.SimpleNamespace(max_iters=5, iter=2)  # a resumed run at iteration 2
    hook.before_train(runner)
    for i in range(3):
        hook.after_train_iter(runner, i, outputs=dict(loss=torch.tensor(0.5, requires_grad=True)))
    assert hook._bar.n == 5
    hook.after_train(runner)
    err = capsys.readouterr().err
    assert '5/5' in err and 'loss=0.500' in err and hook._bar is None


def test_disabled_draws_nothing(capsys):
    hook = ProgressBarHook(disable=True)
    runner = types.SimpleNamespace(max_iters=5, iter=0)
    hook.before_train(runner)
    hook.after_train_iter(runner, 0, outputs=dict(loss=torch.tensor(1.0)))
    hook.after_train(runner)
    assert capsys.readouterr().err == ''
