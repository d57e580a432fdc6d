"""Image inputs of the command-line tools: files, folders (not recursive) and glob patterns."""

import glob
import os
import os.path as osp
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
                osp.join(item, f) for f in os.listdir(item) if f.lower().endswith(IMG_EXTENSIONS)
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
