"""Image inputs of the command-line tools: files, folders (not recursive) and glob patterns."""

import glob
import os
import os.path as osp
import threading
from typing import List, Sequence, Set, Tuple

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.ppm', '.tif', '.tiff', '.webp')


def expand_inputs(inputs: Sequence[str]) -> Tuple[List[str], Set[str]]:
    """Image paths from files, folders and glob patterns, in a stable order.

    Returns:
        ``(paths, from_patterns)``: every image, and those that came from a folder or a glob
        (tools may skip those with a warning where a named file is an error).

    Raises:
        FileNotFoundError: an input matches no image. ValueError: two images share a name
        (their outputs, named after the image, would overwrite each other).
    """
    paths, from_patterns = [], set()
    for item in inputs:
        if osp.isdir(item):
            found = sorted(
                osp.join(item, f)
                for f in os.listdir(item)
                if f.lower().endswith(IMG_EXTENSIONS) and osp.isfile(osp.join(item, f))
            )
            if not found:
                raise FileNotFoundError(
                    f'{item}: a folder with no images ({", ".join(IMG_EXTENSIONS)}; sub-folders '
                    'are not searched)'
                )
            from_patterns.update(found)
        elif osp.isfile(item):
            found = [item]
        else:
            found = sorted(
                p
                for p in glob.glob(item, recursive=True)
                if osp.isfile(p) and p.lower().endswith(IMG_EXTENSIONS)
            )
            from_patterns.update(found)
        if not found:
            raise FileNotFoundError(f'{item}: no such image, folder or matching glob')
        paths += found
    stems = {}
    for p in paths:
        stem = osp.splitext(osp.basename(p))[0]
        if stems.setdefault(stem, p) != p:
            raise ValueError(
                f'{p} and {stems[stem]}: two inputs named {stem}; their outputs '
                'would overwrite each other'
            )
    return paths, from_patterns


#: Largest photo the tools decode (pixels). Measured with the defaults: an 80 MP photo peaks at
#: 1.48 GB resident (about 0.6 GB of model and libraries plus 11 bytes per pixel: the photo,
#: its RGB copy for the detector, the label and instance maps, the overlay), so about 3.3 GB here.
MAX_PIXELS = 250_000_000


class DecodeWarning(UserWarning):
    """The image decoder reported a problem (corrupt data) with a user's image."""


#: One decode at a time catches the process's stderr (``_decode_with_messages``).
_STDERR_LOCK = threading.Lock()


def _decode_with_messages(path: str):
    """``(cv2.imread(path), text the decoder wrote to stderr)``.

    libjpeg and libpng report corrupt data ("Corrupt JPEG data: premature end of data segment")
    on the process's stderr and decode anyway; the text is caught so that it can be reported
    with the file's name. The process has one stderr: decodes take turns, and the tools read
    their images in the main thread (``rednet_mmseg.apis.workers``) so that nothing another
    thread prints is taken for the decoder's words.
    """
    with _STDERR_LOCK:
        return _decode_catching_stderr(path)


def _decode_catching_stderr(path: str):
    import sys
    import tempfile

    import cv2

    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real stderr (e.g. an embedded shell)
        return cv2.imread(path, cv2.IMREAD_COLOR), ''
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            img = cv2.imread(path, cv2.IMREAD_COLOR)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        caught.seek(0)
        text = caught.read().decode('utf-8', 'replace').strip()
    return img, text


def read_image(path: str):
    """The ``(H, W, 3)`` uint8 BGR image of ``path``, as every parsing path decodes it.

    OpenCV's decoder, with the EXIF orientation applied (a phone photo stored sideways comes
    out upright; its landmarks and label map are in that frame). Decoder complaints about
    corrupt data become a :class:`DecodeWarning` naming the file; an image that cannot be
    decoded, or one over :data:`MAX_PIXELS`, a ``ValueError`` naming it.

    >>> import tempfile, cv2, numpy as np
    >>> path = osp.join(tempfile.mkdtemp(), 'a.png')
    >>> _ = cv2.imwrite(path, np.zeros((4, 6, 3), np.uint8))
    >>> read_image(path).shape
    (4, 6, 3)
    """
    import warnings

    from PIL import Image

    try:
        with Image.open(path) as im:
            w, h = im.size
    except OSError:
        w = h = 0  # not readable by PIL: OpenCV decides below
    if w * h > MAX_PIXELS:
        raise ValueError(
            f'{path}: {w}x{h} pixels is more than the {MAX_PIXELS // 1_000_000} megapixels '
            'this tool decodes; scale the photo down'
        )
    img, messages = _decode_with_messages(path)
    if img is None:
        raise ValueError(f'{path}: missing, unreadable or corrupt image')
    if messages:
        first = messages.splitlines()[0]
        warnings.warn(
            f'{path}: the decoder reports corrupt data ({first}); the parse may be wrong',
            DecodeWarning,
            stacklevel=2,
        )
    return img
