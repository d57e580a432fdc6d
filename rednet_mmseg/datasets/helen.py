"""Helen face parsing data set (Smith et al., CVPR 2013)."""
import os.path as osp

from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS


@DATASETS.register_module()
class HelenDataset(BaseSegDataset):
    """Helen, as written by ``tools/dataset_converters/helen.py``.

    Label convention: ``annotations/<split>/<name>.png`` holds uint8 class indices 0-10 in
    Helen's order (0 background, 1 face skin, 2/3 left/right eyebrow, 4/5 left/right eye, 6 nose,
    7 upper lip, 8 inner mouth, 9 lower lip, 10 hair); 255 is ignored. ``reduce_zero_label`` is
    False: background is a class.

    Landmarks: when ``data_prefix`` has ``landmark_path`` (e.g. ``'landmarks/train'``), each
    sample gets ``landmark_path`` to its 5-point file, which ``LoadFaceLandmarks`` reads.

    Args:
        img_suffix (str): Default: '.jpg'. seg_map_suffix (str): Default: '.png'.
        landmark_suffix (str): Default: '.txt'.
        **kwargs: :class:`BaseSegDataset` arguments.
    """
    METAINFO = dict(
        classes=('background', 'skin', 'left_eyebrow', 'right_eyebrow', 'left_eye',
                 'right_eye', 'nose', 'upper_lip', 'inner_mouth', 'lower_lip', 'hair'),
        palette=[[0, 0, 0], [204, 178, 153], [90, 50, 20], [140, 80, 30], [0, 90, 230],
                 [0, 190, 255], [230, 130, 60], [200, 30, 60], [110, 0, 30], [240, 90, 120],
                 [60, 30, 90]])

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
        if lm_dir:
            for info in data_list:
                stem = osp.splitext(osp.basename(info['img_path']))[0]
                info['landmark_path'] = osp.join(lm_dir, stem + self.landmark_suffix)
        return data_list
