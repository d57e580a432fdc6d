"""median_seconds: warm-up calls untimed, the median of the timed ones."""

import time

from rednet_mmseg.utils.timing import median_seconds


def test_warmup_untimed_and_median():
    delays = iter([0.2, 0.0, 0.03, 0.0])  # warm-up slow, then fast / slow / fast
    calls = []

    def fn():
        calls.append(1)
        time.sleep(next(delays))

    t = median_seconds(fn, runs=3, warmup=1)
    assert len(calls) == 4
    assert t < 0.03  # the median of (0, 0.03, 0): neither the warm-up nor the slow run
