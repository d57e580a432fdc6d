"""Wall-clock timing for the measuring tools."""

import statistics
import time
from typing import Callable


def median_seconds(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """Median wall-clock seconds of ``runs`` calls of ``fn`` after ``warmup`` calls.

    The untimed warm-up keeps one-time costs such as allocator growth and kernel selection out.
    """
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
