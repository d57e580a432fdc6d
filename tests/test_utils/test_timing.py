"""The benchmarks' one way to time: warm-up untimed, rounds, medians, named stages."""

import time

import torch

from rednet_mmseg.utils.timing import (
    StageTimes,
    median_seconds,
    seconds_per_call,
    train_step_seconds,
)


def test_warmup_untimed_and_median():
    delays = iter([0.2, 0.0, 0.03, 0.0])  # warm-up slow, then fast / slow / fast
    calls = []

    def fn():
        calls.append(1)
        time.sleep(next(delays))

    t = median_seconds(fn, runs=3, warmup=1)
    assert len(calls) == 4
    assert t < 0.03  # the median of (0, 0.03, 0): neither the warm-up nor the slow run


def test_seconds_per_call_is_per_call_per_round():
    delays = iter([0.2] + [0.01, 0.03] * 2)  # warm-up, then two rounds of two calls
    t = seconds_per_call(lambda: time.sleep(next(delays)), iters=2, repeats=2)
    assert len(t) == 2
    assert all(0.02 <= x < 0.2 for x in t)  # each the mean of 0.01 and 0.03, warm-up left out


def test_stage_times_one_value_per_item_even_on_error():
    times = StageTimes()
    for delay in (0.0, 0.02, 0.0):
        with times('model'):
            time.sleep(delay)
    try:
        with times('detect'):
            raise ValueError('no face')
    except ValueError:
        pass
    assert len(times.seconds['model']) == 3 and len(times.seconds['detect']) == 1
    assert times.median_ms('model') < 20
    assert times.summary().startswith('model ')


def test_train_step_updates_the_model():
    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.ones(3))

        def loss(self, inputs, data_samples):
            return dict(loss=(self.w * inputs).sum(), acc=torch.tensor(1.0))

    model = Tiny()
    t = train_step_seconds(model, dict(inputs=torch.ones(3), data_samples=[]), repeats=2)
    assert len(t) == 2 and all(x > 0 for x in t)
    assert (model.w < 1).all()  # warm-up + 2 steps of SGD on a positive gradient


def test_gemm_rate_is_flops_over_the_median_time(monkeypatch):
    from rednet_mmseg.utils import timing

    calls = []

    def fake_median(fn, runs, warmup=1):
        calls.append(fn().shape)  # the product really is n x n
        return 0.5

    monkeypatch.setattr(timing, 'median_seconds', fake_median)
    assert timing.gemm_flops_per_second(n=64, runs=3) == 2 * 64**3 / 0.5
    assert calls == [(64, 64)]
    monkeypatch.undo()
    rate = timing.gemm_flops_per_second(n=128, runs=3)
    assert 1e6 < rate < 1e15  # a real CPU: between a megaFLOP/s and a petaFLOP/s
