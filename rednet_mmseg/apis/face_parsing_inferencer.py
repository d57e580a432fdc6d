"""MMSegInferencer for face parsing: landmarks (given or detected), the prior's bank, label
maps named after their images."""

import copy
import os
import os.path as osp
import tempfile
from typing import List, Optional

import mmengine
import numpy as np
from mmengine.config import Config
from mmseg.apis import MMSegInferencer
from PIL import Image

_PRIOR_TRANSFORMS = ('LoadFaceLandmarks', 'LoadFacePrior')
#: Test-pipeline transforms that need the 5 key points of every image.
LANDMARK_TRANSFORMS = ('LoadFaceLandmarks', 'LoadFacePrior', 'FaceCropResize')


def config_needs_landmarks(cfg: Config) -> bool:
    """Whether the config's test pipeline needs the 5 landmarks of every image (face crops,
    the adaptive prior)."""
    return any(t['type'] in LANDMARK_TRANSFORMS for t in cfg.test_dataloader.dataset.pipeline)


class FaceParsingInferencer(MMSegInferencer):
    """``MMSegInferencer`` with the face-parsing extras; call it exactly like its parent.

    - Configs whose test pipeline needs landmarks (face crops, the adaptive prior) take the 5
      points of each image from ``landmarks_file`` (lines ``<image> x1 y1 ... x5 y5``) or,
      without it, detect them (``FaceLandmarkDetector``: the largest face of each image; an
      image without a face is an error naming it). Prior configs may take another
      ``prior_bank``.
    - ``pred_out_dir`` label maps are written as ``<image name>.png`` (uint8 class indices at
      the image's resolution) instead of mmseg's running counter ``00000000_pred.png``, so
      they line up with their inputs; overlays keep the input's file name (as in mmseg).

    Args:
        model (str | Config): config file or object. weights (str): checkpoint (loaded
            weights-only, see ``rednet_mmseg.utils.checkpoint``).
        landmarks_file (str, optional): landmark table (default: detect the landmarks).
        prior_bank (str, optional): replaces ``bank_file`` of ``LoadFacePrior``.
        fuse (bool): fold BatchNorm into the convolutions (same outputs, faster).
        **kwargs: :class:`MMSegInferencer` arguments (``device``, ``palette``, ...).
    """

    def __init__(
        self,
        model,
        weights: Optional[str] = None,
        landmarks_file: Optional[str] = None,
        prior_bank: Optional[str] = None,
        fuse: bool = False,
        **kwargs,
    ):
        self.landmarks_file = landmarks_file
        self.prior_bank = prior_bank
        self._detector = None
        if isinstance(model, str) and osp.isfile(model):
            model = Config.fromfile(model)
        super().__init__(model, weights=weights, **kwargs)
        if fuse:
            from ..deployment.fuse_conv_bn import fuse_conv_bn

            fuse_conv_bn(self.model.eval())

    @property
    def uses_prior(self) -> bool:
        return any(type(t).__name__ in _PRIOR_TRANSFORMS for t in self.pipeline.transforms)

    @property
    def needs_landmarks(self) -> bool:
        return config_needs_landmarks(self.cfg)

    def use_landmarks(self, landmarks_file: Optional[str]) -> None:
        """Read the landmarks of the next calls' images from ``landmarks_file``."""
        self.landmarks_file = landmarks_file
        self.pipeline = self._init_pipeline(self.cfg)

    def __call__(self, inputs, *args, **kwargs) -> dict:
        if not self.needs_landmarks or self.landmarks_file is not None:
            return super().__call__(inputs, *args, **kwargs)
        from ..datasets.transforms.loading import forget_landmark_table, write_landmark_table
        from .landmark_detector import detect_landmark_table

        paths = self._inputs_to_list(inputs)
        if not all(isinstance(p, str) for p in paths):
            raise ValueError(
                'images given as arrays need landmarks_file=...: the landmarks '
                'are looked up by image name'
            )
        if self._detector is None:  # loading dlib's models takes about a second: once
            from .landmark_detector import FaceLandmarkDetector

            self._detector = FaceLandmarkDetector()
        table, _, _ = detect_landmark_table(paths, self._detector, progress=self.show_progress)
        fd, table_file = tempfile.mkstemp(prefix='landmarks-', suffix='.txt')
        os.close(fd)
        try:
            write_landmark_table(table_file, table)
            self.use_landmarks(table_file)
            return super().__call__(paths, *args, **kwargs)
        finally:
            forget_landmark_table(table_file)
            os.remove(table_file)
            self.use_landmarks(None)

    def _init_pipeline(self, cfg):
        cfg = copy.deepcopy(cfg)  # mmseg edits the pipeline in place; use_landmarks rebuilds it
        for t in cfg.test_dataloader.dataset.pipeline:
            if t['type'] in _PRIOR_TRANSFORMS and self.landmarks_file is not None:
                t['landmarks_file'] = self.landmarks_file
            if t['type'] == 'LoadFacePrior' and self.prior_bank is not None:
                t['bank_file'] = self.prior_bank
        return super()._init_pipeline(cfg)

    def postprocess(
        self, preds: List, visualization, return_datasample: bool = False, pred_out_dir: str = ''
    ) -> dict:
        if pred_out_dir:
            mmengine.mkdir_or_exist(pred_out_dir)
            for i, pred in enumerate(preds):
                path = pred.metainfo.get('img_path')
                name = (
                    osp.splitext(osp.basename(path))[0]
                    if isinstance(path, str)
                    else str(self.num_pred_imgs + i).zfill(8) + '_pred'
                )
                labels = pred.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)
                Image.fromarray(labels).save(osp.join(pred_out_dir, name + '.png'))
        return super().postprocess(preds, visualization, return_datasample, pred_out_dir='')
