"""Base class of the face parsing data sets written by this project's converters."""

import os.path as osp

from mmseg.datasets import BaseSegDataset

from .sample_check import BadSampleError, check_sample
from .transforms.prior_storage import check_prior_pipeline


class BaseFaceDataset(BaseSegDataset):
    """A converted face parsing split: images, label maps and (optionally) landmarks.

    ``images/<split>/<name>.jpg``, ``annotations/<split>/<name>.png`` (uint8 class indices, 255
    ignored) and, where the data set has them, ``landmarks/<split>/<name>.txt`` (5 key points, one
    ``x y`` line each).

    With ``landmark_path`` in ``data_prefix`` and that folder present, each sample gets
    ``landmark_path``, read by ``LoadFaceLandmarks`` / ``LoadFacePrior`` (data sets without
    landmarks simply have no such folder). Subclasses only set ``METAINFO``.

    Bad input is reported with the file's name: a wrong ``data_root``, an empty image folder,
    a missing or empty split file (``ann_file``) or images without a label map when the data
    set is built; and, the first time each sample is loaded, a corrupt or truncated image or
    label map, a label map of another size than its image, or label values outside the classes
    other than ``ignore_index`` (:func:`~rednet_mmseg.datasets.sample_check.check_sample`).

    Args:
        img_suffix (str): Default: '.jpg'. seg_map_suffix (str): Default: '.png'.
        landmark_suffix (str): Default: '.txt'.
        check_samples (bool): run the per-sample checks. Default: True.
        **kwargs: :class:`BaseSegDataset` arguments.
    """

    def __init__(
        self,
        img_suffix='.jpg',
        seg_map_suffix='.png',
        landmark_suffix='.txt',
        check_samples=True,
        **kwargs,
    ):
        self.landmark_suffix = landmark_suffix
        self.check_samples = check_samples
        self._checked = set()  # indices checked in this process
        super().__init__(
            img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, reduce_zero_label=False, **kwargs
        )
        # a transform that would move the prior wrongly is refused now, by name
        check_prior_pipeline(self.pipeline.transforms, f'{type(self).__name__} pipeline')

    def load_data_list(self):
        """Image, label and landmark paths of the split, checked (named errors)."""
        name = type(self).__name__
        img_dir = self.data_prefix.get('img_path', '')
        if not osp.isdir(img_dir):
            raise FileNotFoundError(
                f'{name}: image directory {img_dir} not found (check data_root={self.data_root!r})'
            )
        if self.ann_file and not osp.isdir(self.ann_file):
            if not osp.isfile(self.ann_file):
                raise FileNotFoundError(f'{name}: split file {self.ann_file} not found')
            with open(self.ann_file) as f:
                if not any(line.strip() for line in f):
                    raise ValueError(f'{name}: split file {self.ann_file} is empty')
        data_list = super().load_data_list()
        if not data_list:
            raise FileNotFoundError(f'{name}: no *{self.img_suffix} images in {img_dir}')
        ann_dir = self.data_prefix.get('seg_map_path')
        if ann_dir:
            missing = [
                info['seg_map_path'] for info in data_list if not osp.isfile(info['seg_map_path'])
            ]
            if missing:
                raise BadSampleError(
                    f'{name}: {len(missing)} image(s) in {img_dir} have no label map, e.g. '
                    f'{", ".join(missing[:3])}'
                )
        lm_dir = self.data_prefix.get('landmark_path')
        if lm_dir and osp.isdir(lm_dir):
            for info in data_list:
                stem = osp.splitext(osp.basename(info['img_path']))[0]
                info['landmark_path'] = osp.join(lm_dir, stem + self.landmark_suffix)
        return data_list

    def prepare_data(self, idx):
        """The sample through the pipeline, checked the first time it is loaded."""
        if self.check_samples and idx not in self._checked:
            info = self.get_data_info(idx)
            check_sample(
                info['img_path'],
                info.get('seg_map_path'),
                len(self.metainfo['classes']),
                self.ignore_index,
            )
            self._checked.add(idx)
        return super().prepare_data(idx)
