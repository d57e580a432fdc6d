"""``one_blas_thread``: numpy's BLAS on one thread inside, the old limits back after the last."""

import threading

import numpy as np
from threadpoolctl import threadpool_info

from rednet_mmseg.utils import blas_threads
from rednet_mmseg.utils.blas_threads import one_blas_thread


def _blas_threads():
    return sorted({i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'})


def test_one_thread_inside_and_the_old_limit_after():
    np.ones((4, 4)) @ np.ones((4, 4))  # numpy's BLAS loaded
    before = _blas_threads()
    assert before  # there is a BLAS to limit
    with one_blas_thread():
        assert _blas_threads() == [1]
        with one_blas_thread():  # reentrant
            assert _blas_threads() == [1]
        assert _blas_threads() == [1]
    assert _blas_threads() == before


def test_overlapping_workers_restore_only_when_the_last_leaves():
    """The limit stays while any worker is inside, and goes when the last one leaves.

    Seen in the module's own state: OpenBLAS 0.3 reports its thread count per calling thread
    once a limit was restored, whereas the limit itself holds for every thread (the photo
    tool's 2 workers hold it for their whole run: ``workers.threads_per_worker``).
    """
    before = _blas_threads()
    entered, first_left = threading.Barrier(2), threading.Event()
    seen = {}

    def first():
        with one_blas_thread():
            entered.wait()
        first_left.set()

    def second():
        with one_blas_thread():
            entered.wait()
            first_left.wait()
            seen['after the first left'] = blas_threads._STATE['limit'] is not None

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen['after the first left']
    assert blas_threads._STATE == {'inside': 0, 'limit': None}
    assert _blas_threads() == before


def test_the_parse_path_runs_with_one_blas_thread():
    from matplotlib.cbook import get_sample_data

    from rednet_mmseg.apis import FaceParsingInferencer
    from rednet_mmseg.apis.image_inputs import read_image

    img = read_image(get_sample_data('grace_hopper.jpg', asfileobj=False))
    inferencer = FaceParsingInferencer(device='cpu', flip=False)
    faces = inferencer.find_faces(img, 'grace_hopper.jpg')
    parser, seen = inferencer.crop_parser, []

    def recording(*args):
        seen.append(_blas_threads())
        return parser(*args)

    inferencer.crop_parser = recording
    inferencer.parse_faces('grace_hopper.jpg', faces, img=img)
    assert seen == [[1]] * len(faces) and faces
