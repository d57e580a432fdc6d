"""rednet_mmseg.apis.workers: several photos or frames at once, results in input order."""

import threading
import time

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rednet_mmseg.apis.workers import (
    default_workers,
    ordered_map,
    threads_per_worker,
    torch_threads,
)


@settings(max_examples=25, deadline=None)
@given(
    delays=st.lists(st.integers(0, 3), max_size=12),
    workers=st.integers(1, 4),
    ahead=st.one_of(st.none(), st.integers(1, 6)),
)
def test_results_come_in_input_order(delays, workers, ahead):
    """Items finishing out of order (random sleeps) still come back in the input's order."""

    def slow_square(item):
        i, delay = item
        time.sleep(delay / 1000)
        return i * i

    out = list(ordered_map(slow_square, enumerate(delays), workers, ahead))
    assert out == [i * i for i in range(len(delays))]


def test_work_runs_side_by_side():
    """Two workers run at once: each item waits until the other worker is inside too.

    One at a time, the barrier would never fill and time out (no wall-clock bound to tune).
    """
    threads = set()
    both_inside = threading.Barrier(2, timeout=10)

    def meet(_):
        threads.add(threading.get_ident())
        both_inside.wait()

    list(ordered_map(meet, range(4), workers=2))
    assert len(threads) == 2


def test_a_generator_is_pulled_only_a_window_ahead():
    """A long video is never read whole: at most ``ahead`` items wait beyond the one taken."""
    pulled = []

    def frames():
        for i in range(20):
            pulled.append(i)
            yield i

    results = ordered_map(lambda i: i, frames(), workers=2, ahead=3)
    assert next(results) == 0
    assert len(pulled) <= 3
    assert list(results) == list(range(1, 20))


def test_an_error_is_raised_at_its_item_and_the_rest_is_cancelled():
    started = []

    def fail_at_two(i):
        started.append(i)
        if i == 2:
            raise ValueError('item 2 is bad')
        time.sleep(0.01)
        return i

    got = []
    with pytest.raises(ValueError, match='item 2 is bad'):
        for r in ordered_map(fail_at_two, range(50), workers=2, ahead=4):
            got.append(r)
    assert got == [0, 1]
    assert len(started) < 50  # items beyond the window were never started


def test_one_worker_is_plain_map_in_this_thread():
    here = threading.get_ident()
    assert list(ordered_map(lambda _: threading.get_ident(), range(3), workers=1)) == [here] * 3


def test_torch_threads_is_restored_and_seen_by_new_threads():
    before = torch.get_num_threads()
    seen = []
    with torch_threads(1):
        list(ordered_map(lambda _: seen.append(torch.get_num_threads()), range(4), workers=2))
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    assert seen == [1, 1, 1, 1]
    with pytest.raises(RuntimeError), torch_threads(1):
        raise RuntimeError('inside')
    assert torch.get_num_threads() == before


def test_default_workers():
    assert default_workers('cuda') == default_workers('cuda:1') == 1
    assert default_workers('cpu') == max(1, min(torch.get_num_threads(), 8))


def test_threads_per_worker_shares_torchs_threads():
    before = torch.get_num_threads()
    with torch_threads(4):
        with threads_per_worker(2):
            assert torch.get_num_threads() == 2
        with threads_per_worker(8):
            assert torch.get_num_threads() == 1
        with threads_per_worker(1):
            assert torch.get_num_threads() == 4
        assert torch.get_num_threads() == 4
    assert torch.get_num_threads() == before


def test_several_workers_hold_one_blas_thread_for_the_whole_block():
    """Several workers: numpy's BLAS on one thread for the whole block, between parses too.

    One worker leaves it to each parse (``FaceParsingInferencer.parse_faces``).
    """
    from threadpoolctl import threadpool_info

    from rednet_mmseg.utils import blas_threads

    def blas():
        return sorted({i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'})

    np.ones((4, 4)) @ np.ones((4, 4))  # numpy's BLAS loaded
    before = blas()
    with threads_per_worker(2):
        assert blas_threads._STATE['inside'] == 1 and blas() == [1]
    assert blas_threads._STATE == {'inside': 0, 'limit': None} and blas() == before
    with threads_per_worker(1):
        assert blas_threads._STATE['inside'] == 0
