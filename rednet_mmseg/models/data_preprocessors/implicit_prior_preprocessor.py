"""Implicit prior baseline (Liu et al. 2015; paper Table 1 "Ours-p-implicit")."""

import torch
from mmseg.models.data_preprocessor import SegDataPreProcessor
from mmseg.registry import MODELS

from ..utils.prior_refinement import stack_priors


@MODELS.register_module()
class PriorConcatPreProcessor(SegDataPreProcessor):
    """``SegDataPreProcessor`` that appends the face prior to the image as extra channels.

    The same prior as the adaptive mechanism (``LoadFacePrior`` + ``PackFaceInputs``) is fed
    as network input instead of refining the output: inputs become ``(N, 3 + K, H, W)``, so
    the backbone needs ``in_channels=3 + K``.
    """

    def forward(self, data: dict, training: bool = False) -> dict:
        """Normalise as mmseg does, then concatenate the prior to the image channels."""
        out = super().forward(data, training)
        inputs, samples = out['inputs'], out['data_samples']
        for s in samples:  # without padding metadata (test time) inputs are not padded
            s.set_metainfo(dict(padding_size=s.metainfo.get('padding_size', (0, 0, 0, 0))))
        prior = stack_priors(samples, inputs.shape[2:]).to(inputs)
        out['inputs'] = torch.cat([inputs, prior], dim=1)
        return out
