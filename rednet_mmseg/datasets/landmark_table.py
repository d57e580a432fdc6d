r"""Landmark tables: the 5 key points of many images in one text file, and their checks.

One line per image::

    <image name> x1 y1 x2 y2 x3 y3 x4 y4 x5 y5

left eye centre, right eye centre, nose tip, left and right mouth corner, in pixels; the
extension in the name is optional (images are looked up by their name without it). A name with
leading or trailing white space, white space other than a plain space (tabs, line breaks), a
non-printable character, or ``#`` or ``"`` first is written as a JSON string
(``"my\tphoto.jpg" 10.00 ...``); any other name, spaces and non-ASCII included, is written as
it is and read back as everything before the last ten numbers. Blank lines and lines that
start with ``#`` are skipped. So every file name round-trips, and tables written by hand or by
earlier versions (plain names) read unchanged.

Used by ``tools/parse_faces.py``, ``tools/misc/detect_landmarks.py``, ``LoadFaceLandmarks`` /
``LoadFacePrior`` (``landmarks_file=``) and ``FaceParsingInferencer``.
"""

import json
import os
import os.path as osp
import tempfile
from typing import Dict, Optional, Sequence

import numpy as np

#: Points may lie this far outside the image (as a fraction of its size): faces cut by the
#: border are normal, points far beyond it are not points of this image.
OUTSIDE_TOLERANCE = 0.5


class LandmarkError(ValueError):
    """A landmark table or landmark points that cannot be used; the message names the file."""


def image_key(name: str) -> str:
    """The name images are looked up by: the base name without its extension."""
    return osp.splitext(osp.basename(name))[0]


def _needs_quotes(name: str) -> bool:
    return (
        not name
        or name != name.strip()
        or name[0] in '#"'
        or any((c.isspace() and c != ' ') or not c.isprintable() for c in name)
    )


def format_landmark_line(name: str, points: np.ndarray) -> str:
    """One table line (without the newline) for ``name`` and its ``(5, 2)`` points."""
    shown = json.dumps(name, ensure_ascii=False) if _needs_quotes(name) else name
    return shown + ' ' + ' '.join(f'{v:.2f}' for v in np.ravel(points))


def parse_landmark_line(line: str, num_points: int = 5, where: str = '<line>'):
    """``(name, (num_points, 2) float32)`` of one table line.

    :class:`LandmarkError` naming ``where`` (``file:line``) when the line is malformed or a
    coordinate is not finite.
    """
    expected = f'expected "<image> x1 y1 ... x{num_points} y{num_points}"'
    text = line.rstrip('\r\n')
    if text.startswith('"'):
        try:
            name, end = json.JSONDecoder().raw_decode(text)
        except ValueError:
            raise LandmarkError(f'{where}: {expected}, the quoted name is not closed') from None
        numbers = text[end:].split()
        if not isinstance(name, str) or (text[end : end + 1] not in (' ', '\t')):
            raise LandmarkError(f'{where}: {expected}, got {text!r}')
    else:
        parts = text.rsplit(None, 2 * num_points)
        if len(parts) > 2 * num_points:
            name, numbers = parts[0].strip(), parts[1:]
        else:
            name, numbers = '', parts
    try:
        values = np.array(numbers, np.float64)
        if values.size != 2 * num_points or not name:
            raise ValueError
    except ValueError:
        raise LandmarkError(f'{where}: {expected}, got {text!r}') from None
    if not np.isfinite(values).all():
        raise LandmarkError(f'{where}: the points of {name} are not all finite numbers: {text!r}')
    return name, values.astype(np.float32).reshape(num_points, 2)


def read_landmark_table(path: str, num_points: int = 5) -> Dict[str, np.ndarray]:
    """A landmark table -> ``image key -> (num_points, 2)`` points (see the module docstring).

    Raises :class:`LandmarkError` naming ``path`` and the line for a malformed line, a
    non-finite coordinate or an image listed twice.
    """
    try:
        with open(path, encoding='utf-8', newline='') as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as err:
        raise LandmarkError(f'{path}: cannot read the landmark table ({err})') from None
    table, lines = {}, {}
    for lineno, line in enumerate(text.split('\n'), 1):
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        name, pts = parse_landmark_line(line, num_points, f'{path}:{lineno}')
        key = image_key(name)
        if key in table:
            raise LandmarkError(
                f'{path}:{lineno}: a second line for image {key!r} (first on line {lines[key]})'
            )
        table[key], lines[key] = pts, lineno
    return table


def write_landmark_table(path: str, table: Dict[str, np.ndarray]) -> None:
    """Write ``name -> (5, 2)`` points that :func:`read_landmark_table` reads back.

    Atomically: a temporary file renamed over ``path``, never a half-written table.
    """
    fd, tmp = tempfile.mkstemp(
        prefix='.' + osp.basename(path) + '.', dir=osp.dirname(osp.abspath(path))
    )
    try:
        with os.fdopen(fd, 'w', encoding='utf-8', newline='\n') as f:
            for name, pts in table.items():
                f.write(format_landmark_line(name, pts) + '\n')
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def check_points_in_image(
    points: np.ndarray, image_shape: Sequence[int], where: str, image: Optional[str] = None
) -> None:
    """Refuse points that are not finite or lie well outside the image.

    Points may lie up to ``OUTSIDE_TOLERANCE`` of the image size beyond each border (faces cut
    by the border); further out they cannot be this image's face, and parsing would silently
    label everything background, skin and hair.

    Args:
        points (np.ndarray): ``(K, 2)`` x, y in pixels.
        image_shape (tuple): ``(H, W, ...)``.
        where (str): the file (and line) the points come from, named in the error.
        image (str, optional): the image, named in the error.
    """
    pts = np.asarray(points, np.float64).reshape(-1, 2)
    what = f'{where}: the landmarks' + (f' of {image}' if image else '')
    if not np.isfinite(pts).all():
        raise LandmarkError(f'{what} are not all finite numbers')
    h, w = int(image_shape[0]), int(image_shape[1])
    lo = -OUTSIDE_TOLERANCE * np.array([w, h])
    hi = (1 + OUTSIDE_TOLERANCE) * np.array([w, h])
    bad = ((pts < lo) | (pts > hi)).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise LandmarkError(
            f'{what} lie far outside the {w}x{h} image: point {i + 1} is at '
            f'({pts[i, 0]:.1f}, {pts[i, 1]:.1f}); are they the landmarks of this image '
            '(in its pixels)?'
        )
