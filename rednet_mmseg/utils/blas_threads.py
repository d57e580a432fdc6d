"""numpy's BLAS on one thread while faces are parsed, so that it does not slow torch's threads.

On 2 CPU cores, OpenBLAS (numpy's BLAS) keeps its worker threads spinning for a while after
each call. The adaptive prior's small numpy products (the dense prior's most of all) left them
spinning through the network step that followed, and torch's own threads then ran that step at
about half its speed: ``accurate`` parsed a dev test photo in 188-228 ms (median) against
134-136 ms with ``OPENBLAS_NUM_THREADS=1``, ``fast`` in 96-139 against 108-125 ms (0.12.0, one
quiet machine). The face path's numpy products are small, so one BLAS thread loses nothing.

:func:`one_blas_thread` limits every BLAS library loaded in the process (threadpoolctl) while
at least one caller is inside it, and restores the previous limits when the last one leaves:
the parse workers of ``rednet_mmseg.apis.workers`` enter and leave it concurrently. torch's
own threads (OpenMP) are not touched.
"""

import threading
from contextlib import contextmanager

_LOCK = threading.Lock()
_STATE = {'inside': 0, 'limit': None}


@contextmanager
def one_blas_thread():
    """Limit numpy's BLAS to one thread inside (reentrant, thread-safe; module docstring)."""
    with _LOCK:
        if _STATE['inside'] == 0:
            from threadpoolctl import threadpool_limits

            # a fresh look at the loaded libraries each time (about 1 ms): a kept
            # ThreadpoolController (threadpoolctl 3.8) does not limit again once restored
            _STATE['limit'] = threadpool_limits(limits=1, user_api='blas')
        _STATE['inside'] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE['inside'] -= 1
            if _STATE['inside'] == 0:
                _STATE['limit'].restore_original_limits()
                _STATE['limit'] = None
