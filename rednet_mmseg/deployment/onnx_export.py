"""ONNX export of a face parsing segmentor, index-based max-unpooling included."""

from typing import Dict, Optional, Sequence

import numpy as np
import torch
from torch import Tensor, nn


class FaceParsingExportModel(nn.Module):
    """The graph that is exported: raw image (and prior) in, scores and labels out.

    The data preprocessor's normalisation (BGR->RGB, mean, std) is part of the graph, so a
    deployment feeds the pixels exactly as ``cv2.imread`` gives them. With ``with_prior`` the
    kNN prior of Eq. 5 is a second input (compute it with
    :meth:`rednet_mmseg.datasets.PriorBank.prior_for_image` from the 5 landmarks) and the
    adaptive refinement of Eq. 6-8 is in the graph.

    Inputs: ``image`` float32 ``(N, 3, H, W)`` BGR 0-255; ``prior`` float32 ``(N, K, H, W)``.
    Outputs: ``scores`` float32 ``(N, K, H, W)`` (decoder logits, or log-probabilities after the
    prior; minus the segmentor's ``logit_adjust`` offsets when it has them) and ``labels``
    int64 ``(N, H, W)``.
    """

    def __init__(self, segmentor: nn.Module, with_prior: bool = False):
        super().__init__()
        if with_prior and not hasattr(segmentor, 'refine_scores'):
            raise ValueError(
                f'{type(segmentor).__name__} has no adaptive prior: export '
                'with_prior needs a PriorEncoderDecoder'
            )
        self.segmentor = segmentor.eval()
        self.with_prior = with_prior
        pre = segmentor.data_preprocessor
        self.bgr_to_rgb = bool(getattr(pre, 'channel_conversion', False))
        self.normalize = getattr(pre, 'mean', None) is not None  # mmseg registers it then
        if self.normalize:
            self.register_buffer('mean', pre.mean.detach().clone().view(1, -1, 1, 1))
            self.register_buffer('std', pre.std.detach().clone().view(1, -1, 1, 1))
        self.eval()

    def forward(self, image: Tensor, prior: Optional[Tensor] = None):
        """``(N, 3, H, W)`` image (and prior) -> ``(N, K, H, W)`` scores, ``(N, H, W)`` labels."""
        logits = self.scores(image, prior)
        return logits, logits.argmax(1)

    def scores(self, image: Tensor, prior: Optional[Tensor] = None) -> Tensor:
        """``(N, K, H, W)`` scores of ``(N, 3, H, W)`` BGR 0-255 images (and their prior).

        The parsing tools' hot path (``rednet_mmseg.apis.crop_parser``) calls this directly.
        """
        x = image.flip(1) if self.bgr_to_rgb else image
        if self.normalize:
            x = (x - self.mean) / self.std
        # the segmentor's own inference path: features, head, resize to the input size
        logits = self.segmentor.encode_decode(x, [dict(img_shape=x.shape[2:])])
        if self.with_prior:
            logits = self.segmentor.refine_scores(logits, prior)
        if hasattr(self.segmentor, 'adjust_scores'):
            logits = self.segmentor.adjust_scores(logits)
        return logits


def export_onnx(
    model: FaceParsingExportModel,
    path: str,
    shape: Sequence[int],
    num_classes: int,
    opset: int = 18,
    exporter: str = 'dynamo',
    dynamic: bool = False,
) -> Dict[str, Tensor]:
    """Export ``model`` for inputs of ``shape = (N, 3, H, W)``; return the example inputs.

    ``dynamic`` (``'dynamo'`` only): the batch size, height and width stay inputs of the graph
    (from 1 image of 32x32 px up), so one file parses crops of any size; otherwise they are
    fixed to ``shape``.

    ``exporter``: ``'dynamo'`` (``torch.export``-based, torch's default) or ``'torchscript'``
    (the legacy tracer, which rejects ``F.max_unpool2d`` in torch 2.14 with "cond must be a
    bool"). Both see the unpooling as a scatter (:func:`~rednet_mmseg.models.utils.unpool.
    scatter_unpool`, ONNX ``ScatterElements``) and need no custom operator.
    """
    if exporter not in ('dynamo', 'torchscript'):
        raise ValueError(f'exporter must be "dynamo" or "torchscript", got {exporter!r}')
    if dynamic and exporter != 'dynamo':
        raise ValueError('a dynamic-size export needs the dynamo exporter')
    g = torch.Generator().manual_seed(0)
    inputs = dict(image=torch.rand(*shape, generator=g) * 255)
    if model.with_prior:
        prior = torch.rand(shape[0], num_classes, *shape[2:], generator=g)
        inputs['prior'] = prior / prior.sum(1, keepdim=True)
    with torch.no_grad():
        torch.onnx.export(
            model,
            tuple(inputs.values()),
            path,
            input_names=list(inputs),
            output_names=['scores', 'labels'],
            opset_version=opset,
            **(_exporter_options(inputs, dynamic) if exporter == 'dynamo' else dict(dynamo=False)),
        )
    return inputs


def _exporter_options(inputs: Dict[str, Tensor], dynamic: bool) -> Dict:
    """The dynamo exporter's options; ``dynamic``: batch, height and width of every input."""
    options = dict(dynamo=True, external_data=False)
    if dynamic:
        batch = torch.export.Dim('batch', min=1, max=1024)
        height = torch.export.Dim('height', min=32, max=8192)
        width = torch.export.Dim('width', min=32, max=8192)
        options['dynamic_shapes'] = {name: {0: batch, 2: height, 3: width} for name in inputs}
    return options


def compare_with_onnxruntime(
    model: FaceParsingExportModel, path: str, inputs: Dict[str, Tensor]
) -> Dict[str, float]:
    """Run the same inputs through PyTorch and onnxruntime (CPU).

    Returns ``max_abs_diff`` of the scores (and ``max_abs_score`` for scale), ``max_prob_diff``
    of the class probabilities and ``label_agreement`` (fraction of pixels whose labels agree).
    """
    import onnxruntime as ort

    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    ort_scores, ort_labels = sess.run(None, {k: v.numpy() for k, v in inputs.items()})
    with torch.no_grad():
        scores, labels = model(*inputs.values())
    probs = scores.softmax(1).numpy()
    ort_probs = torch.from_numpy(ort_scores).softmax(1).numpy()
    return dict(
        max_abs_diff=float(np.abs(ort_scores - scores.numpy()).max()),
        max_prob_diff=float(np.abs(ort_probs - probs).max()),
        max_abs_score=float(np.abs(scores.numpy()).max()),
        label_agreement=float((ort_labels == labels.numpy()).mean()),
    )
