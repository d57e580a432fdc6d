"""Base class of the face parsing data sets written by this project's converters."""
import os.path as osp

from mmseg.datasets import BaseSegDataset


class BaseFaceDataset(BaseSegDataset):
    """A converted face parsing split: ``images/<split>/<name>.jpg``,
    ``annotations/<split>/<name>.png`` (uint8 class indices, 255 ignored) and, where the data
    set has them, ``landmarks/<split>/<name>.txt`` (5 key points, one ``x y`` line each).

    With ``landmark_path`` in ``data_prefix`` and that folder present, each sample gets
    ``landmark_path``, read by ``LoadFaceLandmarks`` / ``LoadFacePrior`` (data sets without
    landmarks simply have no such folder). A wrong ``data_root`` or an empty image folder is
    a clear error. Subclasses only set ``METAINFO``.

    Args:
        img_suffix (str): Default: '.jpg'. seg_map_suffix (str): Default: '.png'.
        landmark_suffix (str): Default: '.txt'.
        **kwargs: :class:`BaseSegDataset` arguments.
    """

    def __init__(self, img_suffix='.jpg', seg_map_suffix='.png', landmark_suffix='.txt',
                 **kwargs):
        self.landmark_suffix = landmark_suffix
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix,
                         reduce_zero_label=False, **kwargs)

    def load_data_list(self):
        img_dir = self.data_prefix.get('img_path', '')
        if not osp.isdir(img_dir):
            raise FileNotFoundError(f'{type(self).__name__}: image directory {img_dir} not '
                                    f'found (check data_root={self.data_root!r})')
        data_list = super().load_data_list()
        if not data_list:
            raise FileNotFoundError(f'{type(self).__name__}: no *{self.img_suffix} images in '
                                    f'{img_dir}')
        lm_dir = self.data_prefix.get('landmark_path')
        if lm_dir and osp.isdir(lm_dir):
            for info in data_list:
                stem = osp.splitext(osp.basename(info['img_path']))[0]
                info['landmark_path'] = osp.join(lm_dir, stem + self.landmark_suffix)
        return data_list
