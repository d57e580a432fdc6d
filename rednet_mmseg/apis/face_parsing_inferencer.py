"""MMSegInferencer for face parsing: the prior's landmarks and bank, label maps named after
their images."""
import os.path as osp
from typing import List, Optional

import mmengine
import numpy as np
from mmengine.config import Config
from mmseg.apis import MMSegInferencer
from PIL import Image

_PRIOR_TRANSFORMS = ('LoadFaceLandmarks', 'LoadFacePrior')


class FaceParsingInferencer(MMSegInferencer):
    """``MMSegInferencer`` with the face-parsing extras; call it exactly like its parent.

    - Configs with the adaptive prior (``LoadFaceLandmarks`` / ``LoadFacePrior`` in the test
      pipeline) take the 5 landmarks of each image from ``landmarks_file`` (lines
      ``<image> x1 y1 ... x5 y5``) and optionally another ``prior_bank``.
    - ``pred_out_dir`` label maps are written as ``<image name>.png`` (uint8 class indices at
      the image's resolution) instead of mmseg's running counter ``00000000_pred.png``, so
      they line up with their inputs; overlays keep the input's file name (as in mmseg).

    Args:
        model (str | Config): config file or object. weights (str): checkpoint (loaded
            weights-only, see ``rednet_mmseg.utils.upstream_compat``).
        landmarks_file (str, optional): landmark table, required by prior configs.
        prior_bank (str, optional): replaces ``bank_file`` of ``LoadFacePrior``.
        **kwargs: :class:`MMSegInferencer` arguments (``device``, ``palette``, ...).
    """

    def __init__(self, model, weights: Optional[str] = None,
                 landmarks_file: Optional[str] = None, prior_bank: Optional[str] = None,
                 **kwargs):
        self.landmarks_file = landmarks_file
        self.prior_bank = prior_bank
        if isinstance(model, str) and osp.isfile(model):
            model = Config.fromfile(model)
        super().__init__(model, weights=weights, **kwargs)

    @property
    def uses_prior(self) -> bool:
        return any(type(t).__name__ in _PRIOR_TRANSFORMS for t in self.pipeline.transforms)

    def _init_pipeline(self, cfg):
        for t in cfg.test_dataloader.dataset.pipeline:
            if t['type'] in _PRIOR_TRANSFORMS and self.landmarks_file is not None:
                t['landmarks_file'] = self.landmarks_file
            if t['type'] == 'LoadFacePrior' and self.prior_bank is not None:
                t['bank_file'] = self.prior_bank
        return super()._init_pipeline(cfg)

    def postprocess(self, preds: List, visualization, return_datasample: bool = False,
                    pred_out_dir: str = '') -> dict:
        if pred_out_dir:
            mmengine.mkdir_or_exist(pred_out_dir)
            for i, pred in enumerate(preds):
                path = pred.metainfo.get('img_path')
                name = (osp.splitext(osp.basename(path))[0] if isinstance(path, str) else
                        str(self.num_pred_imgs + i).zfill(8) + '_pred')
                labels = pred.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)
                Image.fromarray(labels).save(osp.join(pred_out_dir, name + '.png'))
        return super().postprocess(preds, visualization, return_datasample, pred_out_dir='')
