"""Helpers shared by the dataset converters.

The conversion loop, atomic output trees and clear errors.
"""

import contextlib
import json
import os
import os.path as osp
import shutil
import tempfile
from typing import Callable, Dict, Optional, Sequence

from tqdm import tqdm

from ...utils.output_dir import OutputDirError, check_output_dir


class ConversionError(RuntimeError):
    """A source file is missing or malformed; the message names the file."""


#: Written into every converted tree; marks a folder that a later conversion may replace.
MANIFEST = 'rednet_conversion.json'


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def check_replaceable_output(out_dir: str, src_dir: str, overwrite: bool = False) -> None:
    """Refuse an output that would destroy anything the converter does not own.

    ``out_dir`` may not lie inside ``src_dir`` (converters never write into their source),
    may not contain ``src_dir`` (replacing it would delete the source), and, if it exists,
    must be empty or a previous conversion (it holds :data:`MANIFEST`), unless ``overwrite``.
    Symbolic links are resolved first. Raises :class:`ConversionError` naming the folder.
    """
    out_real, src_real = osp.realpath(out_dir), osp.realpath(src_dir)
    if _inside(out_real, src_real):
        raise ConversionError(
            f'{out_dir}: the output may not be inside the source tree '
            f'{src_dir}; converters never modify their source'
        )
    if _inside(src_real, out_real):
        raise ConversionError(
            f'{out_dir}: the output contains the source tree {src_dir}; replacing the output '
            'would delete the source. Choose an output folder outside it.'
        )
    if not osp.exists(out_dir):
        return
    if not osp.isdir(out_dir):
        raise ConversionError(f'{out_dir}: exists and is not a directory')
    entries = sorted(os.listdir(out_dir))
    if not entries or overwrite:
        return
    if MANIFEST in entries:
        written = set(_read_manifest(osp.join(out_dir, MANIFEST)).get('entries', []))
        extra = [e for e in entries if e not in written and e != MANIFEST]
        if not extra:
            return
        raise ConversionError(
            f'{out_dir}: a previous conversion, but it also holds {", ".join(extra[:5])}'
            f'{" ..." if len(extra) > 5 else ""}, which the conversion did not write. Move '
            'it elsewhere, or pass --overwrite to replace the whole folder.'
        )
    shown = ', '.join(entries[:5]) + (f', ... ({len(entries)} entries)' if len(entries) > 5 else '')
    raise ConversionError(
        f'{out_dir}: exists and is not a previous conversion (no {MANIFEST}); it holds '
        f'{shown}. Choose a new or empty folder, or pass --overwrite to replace it.'
    )


def _read_manifest(path: str) -> dict:
    try:
        with open(path) as f:
            info = json.load(f)
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


@contextlib.contextmanager
def atomic_output_dir(
    out_dir: str, src_dir: str, overwrite: bool = False, manifest: Optional[dict] = None
):
    """Yield a temporary sibling directory that replaces ``out_dir`` only on success.

    A crash or a bad source file leaves ``out_dir`` exactly as it was (absent, or the previous
    complete conversion) and removes the partial tree. What may be replaced is decided by
    :func:`check_replaceable_output` before any work starts. On success the new tree gets
    :data:`MANIFEST` (``manifest`` plus the source path), which marks it as ours.
    """
    check_replaceable_output(out_dir, src_dir, overwrite)
    out_dir = osp.abspath(out_dir)
    parent = osp.dirname(out_dir)
    try:
        check_output_dir(parent, 'its folder')
    except OutputDirError as err:
        raise ConversionError(f'{out_dir}: cannot write the output there ({err})') from None
    tmp = tempfile.mkdtemp(prefix=f'.{osp.basename(out_dir)}.partial-', dir=parent)
    os.chmod(tmp, 0o755)
    try:
        yield tmp
        entries = sorted(os.listdir(tmp))
        info = dict(manifest or {}, source=osp.abspath(src_dir), entries=entries)
        with open(osp.join(tmp, MANIFEST), 'w') as f:
            json.dump(info, f, indent=1, sort_keys=True)
            f.write('\n')
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if osp.exists(out_dir):
        old = tempfile.mkdtemp(prefix=f'.{osp.basename(out_dir)}.old-', dir=parent)
        os.rename(out_dir, osp.join(old, 'tree'))
    os.rename(tmp, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def read_text_lines(path: str):
    """Non-empty stripped lines of a text file, with 1-based line numbers."""
    if not osp.isfile(path):
        raise ConversionError(f'{path}: file not found')
    with open(path, encoding='utf-8', errors='strict') as f:
        try:
            lines = f.read().splitlines()
        except UnicodeDecodeError as err:
            raise ConversionError(f'{path}: not a text file ({err})') from err
    return [(i + 1, line.strip()) for i, line in enumerate(lines) if line.strip()]


class SplitWriter:
    """Writes the converted layout into a (temporary) root.

    ``images/<split>/<name>.jpg``, ``annotations/<split>/<name>.png``,
    ``landmarks/<split>/<name>.txt``, ``splits/<split>.txt``.
    """

    def __init__(self, root: str, splits, with_landmarks: bool = False):
        self.root = root
        self.names = {s: [] for s in splits}
        subdirs = ['images', 'annotations'] + (['landmarks'] if with_landmarks else [])
        for sub in subdirs:
            for s in splits:
                os.makedirs(osp.join(root, sub, s))
        os.makedirs(osp.join(root, 'splits'))

    def add(
        self,
        split: str,
        name: str,
        label,
        image_src: Optional[str] = None,
        image=None,
        landmarks=None,
    ):
        """Copy ``image_src`` byte for byte (or encode ``image``), write label and points."""
        import cv2
        import numpy as np

        img_out = osp.join(self.root, 'images', split, f'{name}.jpg')
        if image_src is not None:
            shutil.copyfile(image_src, img_out)
        else:
            cv2.imwrite(img_out, image, [cv2.IMWRITE_JPEG_QUALITY, 95])
        cv2.imwrite(osp.join(self.root, 'annotations', split, f'{name}.png'), label)
        if landmarks is not None:
            np.savetxt(
                osp.join(self.root, 'landmarks', split, f'{name}.txt'), landmarks, fmt='%.2f'
            )
        self.names[split].append(name)

    def finish(self):
        """Write the split lists; returns the number of images per split."""
        for s, names in self.names.items():
            with open(osp.join(self.root, 'splits', f'{s}.txt'), 'w') as f:
                f.write('\n'.join(names) + ('\n' if names else ''))
        return {s: len(n) for s, n in self.names.items()}


def checked_points(points, image_shape, where: str):
    """``points`` if they are finite and near the image, else an error naming ``where``.

    The check is ``landmark_table.check_points_in_image``; the error a :class:`ConversionError`.
    """
    from ..landmark_table import LandmarkError, check_points_in_image

    try:
        check_points_in_image(points, image_shape, where)
    except LandmarkError as err:
        raise ConversionError(str(err)) from None
    return points


def read_image(path: str, what: str = 'image'):
    """cv2.imread with a clear error for missing / corrupt files."""
    import cv2

    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        raise ConversionError(f'{path}: missing, unreadable or corrupt {what}')
    return img


def convert_splits(
    src: str,
    out: str,
    names: Dict[str, Sequence[str]],
    convert_one: Callable[[str, str], dict],
    desc: str,
    with_landmarks: bool = False,
    progress: bool = True,
    finish: Optional[Callable[[str], None]] = None,
    overwrite: bool = False,
) -> Dict[str, int]:
    """The loop every converter runs.

    ``out`` appears atomically (``atomic_output_dir``), with one progress bar, each image written by
    :class:`SplitWriter`.

    Args:
        src: the release folder (only read; ``out`` may not contain it).
        out: the output folder.
        names: split -> image names, in output order.
        convert_one: ``(split, name) -> dict`` of :meth:`SplitWriter.add` arguments
            (``label``, ``image_src`` or ``image``, ``landmarks``); raises
            :class:`ConversionError` naming the bad file.
        desc: progress-bar label (also the data set named in the manifest).
        with_landmarks: write ``landmarks/<split>/`` too.
        progress: show a progress bar.
        finish: called with the temporary root before it becomes ``out``, for extra files.
        overwrite: replace an existing ``out`` that is not a previous conversion (never one
            that contains ``src``).

    Returns:
        Number of images written per split.
    """
    todo = [(s, n) for s, ns in names.items() for n in ns]

    manifest = dict(dataset=desc)
    with atomic_output_dir(out, src, overwrite, manifest=manifest) as tmp:
        writer = SplitWriter(tmp, names, with_landmarks)
        for split, name in tqdm(todo, desc=desc, unit='img', disable=not progress):
            writer.add(split, name, **convert_one(split, name))
        if finish is not None:
            finish(tmp)
        counts = manifest['images'] = writer.finish()
    return counts
