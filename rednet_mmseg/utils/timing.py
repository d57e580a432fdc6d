"""Wall-clock timing for the measuring tools: one way to time, used by every benchmark.

- :func:`seconds_per_call`: ``repeats`` rounds of ``iters`` calls after untimed warm-up calls,
  seconds per call of each round (CUDA synchronised around each round when asked);
- :func:`median_seconds`: the median of single timed calls;
- :class:`StageTimes`: seconds per named stage over many items (a photo's detect, model,
  write), reported as medians;
- :func:`gemm_flops_per_second`: this machine's fp32 matrix-multiply rate, the yardstick of a
  network step's share of what the cores can do;
- :func:`train_step_seconds`: one training step (loss, backward, optimiser step) of a
  segmentor on a preprocessed batch, the same in ``benchmark.py`` and
  ``benchmark_pipeline.py``.
"""

import statistics
import time
from collections import defaultdict
from contextlib import contextmanager
from typing import Callable, Dict, List, Optional


def _sync(device: Optional[str]) -> None:
    if device is not None and str(device).startswith('cuda'):
        import torch

        torch.cuda.synchronize()


def seconds_per_call(
    fn: Callable[[], object],
    iters: int = 1,
    repeats: int = 1,
    warmup: int = 1,
    device: Optional[str] = None,
) -> List[float]:
    """Seconds per call of ``fn``, one value per round of ``iters`` calls.

    ``warmup`` untimed calls first keep one-time costs (allocator growth, kernel selection)
    out; on a CUDA ``device`` the queue is drained before and after each round.
    """
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        _sync(device)
        start = time.perf_counter()
        for _ in range(iters):
            fn()
        _sync(device)
        out.append((time.perf_counter() - start) / iters)
    return out


def median_seconds(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """Median wall-clock seconds of ``runs`` calls of ``fn`` after ``warmup`` calls."""
    return statistics.median(seconds_per_call(fn, 1, runs, warmup))


def gemm_flops_per_second(n: int = 1024, runs: int = 5) -> float:
    """This machine's fp32 GEMM rate in FLOP/s.

    ``2 n^3`` over the median time of an ``n x n`` matrix product (torch's threads as set).
    """
    import torch

    g = torch.Generator().manual_seed(0)
    a, b = torch.rand(n, n, generator=g), torch.rand(n, n, generator=g)
    return 2 * n**3 / median_seconds(lambda: a @ b, runs)


class StageTimes:
    """Seconds spent in named stages, one value per item.

    Examples:
        >>> times = StageTimes()
        >>> for _ in range(3):
        ...     with times('read'):
        ...         pass
        >>> len(times.seconds['read'])
        3
    """

    def __init__(self):
        self.seconds: Dict[str, List[float]] = defaultdict(list)

    @contextmanager
    def __call__(self, stage: str):
        """Time the ``with`` block as one item of ``stage``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage].append(time.perf_counter() - start)

    def median_ms(self, stage: str) -> float:
        """Median milliseconds of one stage."""
        return 1000 * statistics.median(self.seconds[stage])

    def summary(self) -> str:
        """``'read 1.0, detect 46.2, ...'``: each stage's median milliseconds, in order."""
        return ', '.join(f'{k} {self.median_ms(k):.1f}' for k in self.seconds)


def train_step_seconds(model, data: dict, iters: int = 1, repeats: int = 3, device=None, amp=False):
    """Seconds per training step of a segmentor, one value per round (:func:`seconds_per_call`).

    Args:
        model (nn.Module): an mmseg segmentor (``loss(inputs, data_samples)``).
        data (dict): ``inputs`` and ``data_samples`` as its data preprocessor returns them.
        iters (int): steps per round. Default: 1.
        repeats (int): rounds. Default: 3.
        device (str, optional): ``'cuda...'`` synchronises around each round.
        amp (bool): autocast (and a gradient scaler on CUDA). Default: False.
    """
    import torch

    kind = str(device or 'cpu').split(':')[0]
    optim = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
    scaler = torch.amp.GradScaler(enabled=amp and kind == 'cuda')

    def step():
        model.train()
        with torch.autocast(device_type=kind, enabled=amp):
            losses = model.loss(data['inputs'], data['data_samples'])
            loss = sum(v for k, v in losses.items() if 'loss' in k)
        optim.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optim)
        scaler.update()

    return seconds_per_call(step, iters, repeats, device=device)
