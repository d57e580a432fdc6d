"""Your own faces in a folder anyone can make: read, checked and registered as a data set.

Layout (``docs/en/finetune.md``)::

    ROOT/classes.txt                         one class name per line, background first
    ROOT/images/{train,val,test}/<name>.jpg  (or .png, .jpeg, .bmp)
    ROOT/annotations/{train,val,test}/<name>.png   uint8 class indices, 255 = ignore
    ROOT/landmarks/{train,val,test}.txt      optional: lines ``<name> x1 y1 ... x5 y5``
    ROOT/landmarks68/{train,val,test}.txt    optional: the 68 iBUG points (``accurate``)

Missing landmark tables are made by ``tools/finetune_faces.py`` with the shipped detector
and written to its work directory (ROOT is never written to).
"""

import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmseg.registry import DATASETS

from .base_face_dataset import BaseFaceDataset
from .landmark_table import image_key, read_landmark_table
from .prior_bank import NUM_DENSE_POINTS

#: The splits of a face folder.
SPLITS = ('train', 'val', 'test')
#: Image extensions read from ``ROOT/images/<split>/``.
IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp')


def read_classes(root: str) -> List[str]:
    """The class names of ``ROOT/classes.txt`` (background first), checked.

    Raises:
        FileNotFoundError / ValueError: no file, fewer than two names, a repeated name.
    """
    path = osp.join(root, 'classes.txt')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: not found (one class name per line, background first)')
    with open(path, encoding='utf-8') as f:
        names = [line.strip() for line in f if line.strip()]
    if len(names) < 2:
        raise ValueError(f'{path}: {len(names)} class name(s); a face folder needs at least two')
    if len(names) > 255:
        raise ValueError(f'{path}: {len(names)} classes; label maps hold at most 255 (255 ignored)')
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f'{path}: class name(s) listed twice: {", ".join(repeated)}')
    return names


def split_images(root: str, split: str) -> Dict[str, str]:
    """``name -> image path`` of ``ROOT/images/<split>/`` (names without extension).

    Raises:
        ValueError: two images of one name (``a.jpg`` and ``a.png``).
    """
    img_dir = osp.join(root, 'images', split)
    if not osp.isdir(img_dir):
        return {}
    found: Dict[str, str] = {}
    for f in sorted(os.listdir(img_dir)):
        stem, ext = osp.splitext(f)
        if ext.lower() not in IMAGE_EXTENSIONS:
            continue
        if stem in found:
            raise ValueError(f'{osp.join(img_dir, f)}: another image is also named {stem!r}')
        found[stem] = osp.join(img_dir, f)
    return found


def landmark_table_path(root: str, split: str, num_points: int = 5) -> str:
    """Where a face folder keeps the landmark table of ``split`` (5 or 68 points)."""
    folder = 'landmarks' if num_points == 5 else f'landmarks{num_points}'
    return osp.join(root, folder, f'{split}.txt')


@DATASETS.register_module()
class FaceFolderDataset(BaseFaceDataset):
    """One split of a face folder (module docstring): your images, labels and classes.

    The classes come from ``ROOT/classes.txt`` (unless ``metainfo`` gives them); the 5 key
    points of each image from ``landmarks_file`` (default ``ROOT/landmarks/<split>.txt``) as
    ``face_landmarks``, which ``LoadFaceLandmarks`` reads. The per-sample checks of
    :class:`BaseFaceDataset` apply (label values outside the classes, size mismatches).

    Args:
        split (str): ``'train'``, ``'val'`` or ``'test'``.
        landmarks_file (str, optional): the split's landmark table (default: the folder's; no
            table and none given: samples carry no key points, enough for configs without
            landmarks).
        **kwargs: :class:`BaseFaceDataset` arguments (``data_root``, ``pipeline``, ...).
    """

    def __init__(self, split: str, landmarks_file: Optional[str] = None, **kwargs):
        if split not in SPLITS:
            raise ValueError(f'FaceFolderDataset: split must be one of {SPLITS}, got {split!r}')
        root = kwargs.get('data_root') or ''
        self.split = split
        self.landmarks_file = landmarks_file or landmark_table_path(root, split)
        metainfo = dict(kwargs.pop('metainfo', None) or {})
        if 'classes' not in metainfo:
            metainfo['classes'] = tuple(read_classes(root))
        kwargs.setdefault(
            'data_prefix',
            dict(img_path=f'images/{split}', seg_map_path=f'annotations/{split}'),
        )
        super().__init__(metainfo=metainfo, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Images of any of :data:`IMAGE_EXTENSIONS` with their label maps and key points."""
        name = type(self).__name__
        root = self.data_root
        images = split_images(root, self.split)
        if not images:
            raise FileNotFoundError(f'{name}: no image in {osp.join(root, "images", self.split)}')
        ann_dir = osp.join(root, 'annotations', self.split)
        table = None
        if osp.isfile(self.landmarks_file):
            table = read_landmark_table(self.landmarks_file)
        data_list = []
        for stem, img_path in images.items():
            info = dict(
                img_path=img_path,
                seg_map_path=osp.join(ann_dir, f'{stem}.png'),
                label_map=self.label_map,
                reduce_zero_label=False,
                seg_fields=[],
            )
            if not osp.isfile(info['seg_map_path']):
                raise FileNotFoundError(f'{img_path}: no label map {info["seg_map_path"]}')
            if table is not None:
                points = table.get(image_key(stem))
                if points is None:
                    raise ValueError(f'{self.landmarks_file}: no key points for {img_path}')
                info['face_landmarks'] = np.asarray(points, np.float32)
            data_list.append(info)
        return data_list


def find_folder_problems(
    root: str,
    splits: Sequence[str] = SPLITS,
    landmark_tables: Optional[Dict] = None,
    dense_tables: Optional[Dict] = None,
) -> List[str]:
    """Every problem of a face folder, one line each naming its file (empty: none).

    Checks ``classes.txt``; that ``train`` and ``test`` have images; per image, its label map
    (present, readable, single-channel, the image's size, values in the classes or 255); per
    label map, that its image exists; and, where a landmark table exists (or
    ``landmark_tables[split]`` is given), that it has the image's 5 points inside the image;
    the same for the 68 points of ``dense_tables[split]`` (the dense prior, ``accurate``).
    """
    from PIL import Image

    from .landmark_table import check_points_in_image

    problems: List[str] = []
    try:
        num_classes = len(read_classes(root))
    except (OSError, ValueError) as err:
        return [str(err)]
    for split in splits:
        images = split_images(root, split)
        if not images:
            if split != 'val':
                problems.append(f'{osp.join(root, "images", split)}: no image (jpg or png)')
            continue
        ann_dir = osp.join(root, 'annotations', split)
        labels = {osp.splitext(f)[0] for f in (os.listdir(ann_dir) if osp.isdir(ann_dir) else ())}
        problems += [
            f'{osp.join(ann_dir, n)}.png: a label map without an image'
            for n in sorted(labels - set(images))
        ]
        tables = []  # (path, table) of the 5 and, if given, the 68 points
        for path, num_points in (
            ((landmark_tables or {}).get(split) or landmark_table_path(root, split), 5),
            ((dense_tables or {}).get(split), NUM_DENSE_POINTS),
        ):
            if path and osp.isfile(path):
                try:
                    tables.append((path, read_landmark_table(path, num_points)))
                except (OSError, ValueError) as err:
                    problems.append(str(err))
            elif path and num_points == NUM_DENSE_POINTS:
                problems.append(f'{path}: no such 68-point table')
        for stem, img_path in images.items():
            label_path = osp.join(ann_dir, f'{stem}.png')
            try:
                with Image.open(img_path) as im:
                    size = im.size
                    im.verify()
            except Exception as err:  # PIL raises many types for a broken file
                problems.append(f'{img_path}: unreadable image ({err})')
                continue
            if not osp.isfile(label_path):
                problems.append(f'{img_path}: no label map ({label_path})')
            else:
                problems += _label_problems(label_path, size, num_classes)
            for table_path, table in tables:
                points = table.get(image_key(stem))
                if points is None:
                    problems.append(f'{table_path}: no key points for {img_path}')
                else:
                    try:
                        check_points_in_image(points, (size[1], size[0]), table_path, img_path)
                    except ValueError as err:
                        problems.append(str(err))
    return problems


def _label_problems(path: str, image_size, num_classes: int) -> List[str]:
    """Problems of one label map: unreadable, not one channel, another size, bad values."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            labels = np.asarray(im)
    except Exception as err:  # PIL raises many types for a broken file
        return [f'{path}: unreadable label map ({err})']
    if labels.ndim != 2 or labels.dtype != np.uint8:
        return [f'{path}: a label map must be one uint8 channel, got {labels.dtype} {labels.shape}']
    if labels.shape[::-1] != tuple(image_size):
        return [
            f'{path}: {labels.shape[1]}x{labels.shape[0]}, its image is '
            f'{image_size[0]}x{image_size[1]}'
        ]
    values = np.unique(labels)
    bad = [int(v) for v in values if num_classes <= v < 255]
    if bad:
        return [
            f'{path}: label value(s) {bad} outside the {num_classes} classes of classes.txt '
            '(255 = ignore)'
        ]
    return []
