"""Parsing several photos or frames at once: worker threads sharing torch's threads.

The parsing path (``FaceParsingInferencer.parse_image``) runs half of its time outside the
network: face detection (dlib's HOG, one thread), the crop, the prior (Eq. 5), the paste-back,
the overlay and the PNGs. With one photo at a time and torch's two threads, one of the 2 cores
idles through all of that. With one worker per core, each running torch with one thread, both
cores are busy all the time: on the 40 dev test photos (2 cores, ``fast``, mirrored) the parse
phase of ``tools/parse_faces.py`` took 6.0 s instead of 8.2 s, with the same label maps (0 of
4.26 M pixels differ); dlib's detector releases the GIL, so detection of several photos runs
side by side too (one HOG detector per worker: :class:`FaceLandmarkDetector` lends them out).

Threads, not processes: the model, the prior bank and the detector are shared, nothing is
pickled, start-up is paid once. The order of the results is the order of the inputs, and an
error raised for an item is raised where that item's result is taken.
"""

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Optional

#: More workers than this gain nothing measurable on the parse path (memory grows per worker).
MAX_WORKERS = 8


def default_workers(device: Optional[str] = None) -> int:
    """One worker per torch thread on CPU (at most :data:`MAX_WORKERS`); one on a GPU.

    ``device`` None: a GPU when torch sees one (as the inferencer's default device).
    """
    import torch

    if device is None:
        device = 'cuda' if torch.cuda.is_available() else 'cpu'
    if str(device).startswith('cuda'):
        return 1
    return max(1, min(torch.get_num_threads(), MAX_WORKERS))


@contextmanager
def torch_threads(n: int):
    """Run torch's CPU operators with ``n`` threads inside the block, then restore the count.

    Worker threads started inside the block take this count (torch applies the process-wide
    setting to each new thread on its first operator).
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextmanager
def threads_per_worker(workers: int):
    """Torch's threads shared out among ``workers`` inside the block, then restored.

    Each worker gets ``max(1, threads // workers)`` (one each with one worker per thread, the
    tools' default); one worker changes nothing. With several workers numpy's BLAS also stays
    on one thread for the whole block (:func:`~rednet_mmseg.utils.blas_threads.one_blas_thread`),
    not only while a face is parsed: between two workers' parses its limit came back, and a
    BLAS call there (the tracker, the paste-back) left OpenBLAS threads spinning against the
    workers' torch threads. ``accurate`` on the 40 dev test photos with 2 workers: 5.47 -> 7.56
    photos/s, its video 11.2 -> 19.9 fps (0.14.0, one run each, ``benchmark_parse.py``).
    """
    import torch

    from ..utils.blas_threads import one_blas_thread

    if workers <= 1:
        yield
        return
    with torch_threads(max(1, torch.get_num_threads() // workers)), one_blas_thread():
        yield


def ordered_map(
    fn: Callable, items: Iterable, workers: int, ahead: Optional[int] = None
) -> Iterator:
    """``fn(item)`` of every item, in the items' order, by ``workers`` threads.

    At most ``ahead`` (default ``2 * workers``) items are in flight: ``items`` may be a
    generator over a long video (it is pulled in the caller's thread, between results). With
    ``workers <= 1`` this is ``map(fn, items)``. Leaving the loop early (an error, a break)
    cancels the items not yet started and waits for the running ones.
    """
    if workers <= 1:
        yield from map(fn, items)
        return
    ahead = max(workers, ahead or 2 * workers)
    pool = ThreadPoolExecutor(workers, thread_name_prefix='rednet-worker')
    pending = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
