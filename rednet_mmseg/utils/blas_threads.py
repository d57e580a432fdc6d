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

The BLAS libraries and their thread counts are looked up once, at the first use (threadpoolctl
reads the process's loaded libraries: 3 ms, which was 6 % of a video frame's parse when it ran
for every frame), and each entry and exit then sets the counts directly: 1, and the counts of
that first look. (threadpoolctl 3.8 with OpenBLAS 0.3: a kept ``threadpool_limits`` does not
limit again once restored, and a thread's reported count can differ from the limit in force
after a restore, so neither is asked again.)
"""

import threading
from contextlib import contextmanager

_LOCK = threading.Lock()
_STATE = {'inside': 0, 'limit': None}
#: ``[(library controller, its thread count at the first look)]`` of the BLAS libraries
_LIBRARIES = None


def _blas_libraries() -> list:
    """The BLAS libraries loaded at the first call, with their thread counts then."""
    global _LIBRARIES
    if _LIBRARIES is None:
        from threadpoolctl import ThreadpoolController

        libs = ThreadpoolController().select(user_api='blas').lib_controllers
        _LIBRARIES = [(lib, lib.num_threads) for lib in libs]
    return _LIBRARIES


@contextmanager
def one_blas_thread():
    """Limit numpy's BLAS to one thread inside (reentrant, thread-safe; module docstring)."""
    with _LOCK:
        if _STATE['inside'] == 0:
            _STATE['limit'] = _blas_libraries()
            for lib, _ in _STATE['limit']:
                lib.set_num_threads(1)
        _STATE['inside'] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE['inside'] -= 1
            if _STATE['inside'] == 0:
                for lib, threads in _STATE['limit']:
                    lib.set_num_threads(threads)
                _STATE['limit'] = None
