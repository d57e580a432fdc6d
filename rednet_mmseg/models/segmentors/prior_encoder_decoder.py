"""EncoderDecoder with RED-Net's adaptive prior in training (Eq. 2) and inference (Eq. 5-8)."""

from typing import List

import torch
from mmseg.models.losses import CrossEntropyLoss, accuracy
from mmseg.models.segmentors import EncoderDecoder
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.utils import add_prefix
from torch import Tensor, nn

from ..losses.soft_cross_entropy import soft_cross_entropy
from ..utils.prior_refinement import refine_with_prior, stack_priors


def _loss_class_weight(decode_head) -> Tensor:
    """``(K,)`` class weights of the (first class-weighted) decode loss."""
    losses = decode_head.loss_decode
    losses = losses if isinstance(losses, nn.ModuleList) else [losses]
    for loss in losses:
        weight = getattr(loss, 'class_weight', None)
        if weight is not None:
            weight = torch.as_tensor(weight, dtype=torch.float32)
            if weight.numel() != decode_head.num_classes or (weight <= 0).any():
                raise ValueError(
                    f'PriorEncoderDecoder: logit_adjust needs {decode_head.num_classes} positive '
                    f'class weights, the decode loss has {weight.tolist()}'
                )
            return weight
    raise ValueError(
        'PriorEncoderDecoder: logit_adjust needs a class-weighted decode loss '
        "(loss_decode=dict(type='CrossEntropyLoss', class_weight=[...]))"
    )


@MODELS.register_module()
class PriorEncoderDecoder(EncoderDecoder):
    """``EncoderDecoder`` whose decode-head scores are refined by the adaptive prior.

    Works with any decode head: the head's logits ``(N, K, h, w)`` and the prior (resized to
    ``h x w``) are combined by :func:`refine_with_prior` and the result, a normalised
    log-distribution, replaces the logits both in the head's loss (paper Eq. 2: the loss is
    computed on the refined distribution) and in prediction (Eq. 8). The prior comes with each
    sample as ``face_prior`` (pipeline: ``LoadFacePrior`` ... ``PackFaceInputs``).

    Args:
        prior_in_train (bool): refine before the loss (Eq. 2). Default: True.
        prior_in_test (bool): refine the predicted score map (Eq. 8). Default: True.
        scale_grad (bool): the loss's gradient flows through the entropy scale ``As`` (Eq. 6)
            into the network (the paper does not say). Default: True.
        temperature (float): fixed ``T`` of ``P_net = softmax(logits / T)``. Default: 1.0.
        calibrate (bool): learn ``T`` instead, by the cross-entropy of ``softmax(logits / T)``
            with the labels, the logits detached (``loss_calib``): only ``T`` learns from it,
            and ``T`` learns from nothing else, so ``P_net`` stays calibrated while the network
            trains and ``As`` measures how likely the network is to be right. Default: False.
        combine (str): ``'sum'`` (Eq. 7-8) or ``'product'`` (Bayes' rule, the prior added
            to the logits as ``log(Pr + prior_eps)``); see :func:`refine_with_prior`. The
            paper's sum is the default, so that ``PriorEncoderDecoder`` is what a reader of the
            paper expects. The product is this project's improvement (on real photos the sum
            let a network that had not yet learnt the small parts drown the prior there:
            ``configs/cpu/README.md``); configs that use it carry ``-bayes`` in their name.
            Default: 'sum'.
        prior_eps (float): Default: 0.01.
        logit_adjust (float): at prediction (and in the ONNX graph), subtract
            ``logit_adjust * log(w_c)`` from the scores, ``w_c`` the decode loss's
            ``class_weight`` (post-hoc logit adjustment, Menon et al., ICLR 2021). A
            class-weighted loss trains the small parts' scores up by about ``log(w_c)``,
            which buys recall with precision; taking back a share of it at test restores the
            balance: 0.5 on the real-face tuning photos (``docs/en/realface_study.md``).
            Needs a class-weighted loss. Default: 0.0 (off).
        **kwargs: :class:`EncoderDecoder` arguments.
    """

    def __init__(
        self,
        *args,
        prior_in_train: bool = True,
        prior_in_test: bool = True,
        scale_grad: bool = True,
        temperature: float = 1.0,
        calibrate: bool = False,
        combine: str = 'sum',
        prior_eps: float = 0.01,
        logit_adjust: float = 0.0,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.prior_in_train = prior_in_train
        self.prior_in_test = prior_in_test
        self.scale_grad = scale_grad
        self.calibrate = calibrate
        if combine not in ('sum', 'product'):
            raise ValueError(
                f"PriorEncoderDecoder: combine must be 'sum' or 'product', got {combine!r}"
            )
        self.combine = combine
        self.prior_eps = prior_eps
        if calibrate:  # log T, so that T stays positive
            self.log_temperature = nn.Parameter(torch.tensor(float(temperature)).log())
        else:  # set by the config, so not part of a checkpoint
            self.register_buffer(
                'log_temperature', torch.tensor(float(temperature)).log(), persistent=False
            )
        self.logit_adjust = float(logit_adjust)
        offset = None
        if self.logit_adjust:
            offset = -self.logit_adjust * _loss_class_weight(self.decode_head).log()
            offset = offset.view(1, -1, 1, 1)
        # not in checkpoints: derived from the config
        self.register_buffer('logit_offset', offset, persistent=False)

    @property
    def temperature(self) -> Tensor:
        """``T`` as used by the refinement (no gradient: only ``loss_calib`` trains it)."""
        return self.log_temperature.detach().exp()

    def _decode_head_forward_train(self, inputs: List[Tensor], data_samples) -> dict:
        seg_logits = self.decode_head.forward(inputs)
        losses = {}
        if self.calibrate:
            scaled = seg_logits.detach() / self.log_temperature.exp()
            calib = self.decode_head.loss_by_feat(scaled, data_samples)
            losses['loss_calib'] = sum(v for k, v in calib.items() if k.startswith('loss'))
            losses['temperature'] = self.temperature
        if self.prior_in_train:
            prior = stack_priors(data_samples, data_samples[0].metainfo['pad_shape'])
            prior = resize(prior, size=seg_logits.shape[2:], mode='bilinear', align_corners=False)
            seg_logits = self.refine_scores(seg_logits, prior)
        if 'gt_soft_seg' in data_samples[0]:
            head_losses = self._soft_label_loss(seg_logits, data_samples)
        else:
            head_losses = self.decode_head.loss_by_feat(seg_logits, data_samples)
        losses.update(add_prefix(head_losses, 'decode'))
        return losses

    def _soft_label_loss(self, seg_logits: Tensor, data_samples) -> dict:
        """The decode loss on soft labels (``SoftFaceLabels``): ``loss_ce`` and ``acc_seg``.

        The decode head's cross-entropy (its class weights, weight and name) with the soft
        targets (:func:`~rednet_mmseg.models.losses.soft_cross_entropy`); the accuracy is
        against the hard label map, as mmseg's.
        """
        loss = self.decode_head.loss_decode
        if isinstance(loss, nn.ModuleList):
            loss = loss[0] if len(loss) == 1 else None
        if not isinstance(loss, CrossEntropyLoss) or loss.use_sigmoid or loss.use_mask:
            raise ValueError(
                'PriorEncoderDecoder: soft labels (SoftFaceLabels in the pipeline) train with '
                'one softmax cross-entropy decode loss, the decode head has '
                f'{self.decode_head.loss_decode}'
            )
        targets = stack_priors(data_samples, data_samples[0].metainfo['pad_shape'], 'gt_soft_seg')
        seg_logits = resize(
            seg_logits,
            size=targets.shape[2:],
            mode='bilinear',
            align_corners=self.decode_head.align_corners,
        )
        value = soft_cross_entropy(seg_logits, targets, loss.class_weight)
        hard = self.decode_head._stack_batch_gt(data_samples).squeeze(1)
        return {
            loss.loss_name: loss.loss_weight * value,
            'acc_seg': accuracy(seg_logits, hard, ignore_index=self.decode_head.ignore_index),
        }

    def predict(self, inputs: Tensor, data_samples=None):
        """Predict label maps, with the adaptive prior when ``prior_in_test`` (Eq. 5-8)."""
        if not self.prior_in_test and self.logit_offset is None:
            return super().predict(inputs, data_samples)
        if data_samples is None and self.prior_in_test:
            raise ValueError(
                'PriorEncoderDecoder.predict: prior_in_test=True needs data_samples carrying '
                "each image's face prior (pipeline: LoadFacePrior ... PackFaceInputs); "
                'set prior_in_test=False to predict without it'
            )
        if data_samples is None:  # as EncoderDecoder.predict
            shape = inputs.shape[2:]
            meta = dict(ori_shape=shape, img_shape=shape, pad_shape=shape, padding_size=[0] * 4)
            batch_img_metas = [meta] * inputs.shape[0]
        else:
            batch_img_metas = [s.metainfo for s in data_samples]
        seg_logits = self.inference(inputs, batch_img_metas)  # (N, K, H_pad, W_pad)
        if self.prior_in_test:
            prior = stack_priors(data_samples, seg_logits.shape[2:])
            seg_logits = self.refine_scores(seg_logits, prior)
        # channels-last scores: mmseg's postprocess_result takes argmax over the class axis,
        # which torch 2.x on CPU runs about 9x faster when that axis is the innermost (1.7 vs
        # 16 ms for 11 x 300 x 300); the values are the same
        seg_logits = self.adjust_scores(seg_logits).contiguous(memory_format=torch.channels_last)
        return self.postprocess_result(seg_logits, data_samples)

    def adjust_scores(self, seg_logits: Tensor) -> Tensor:
        """``(N, K, H, W)`` scores minus ``logit_adjust * log(w_c)`` (unchanged when off).

        Applied in :meth:`predict`, not in ``postprocess_result``: tools score other maps
        with ``postprocess_result`` (``eval_prior.py``: the prior's probabilities).
        """
        return seg_logits if self.logit_offset is None else seg_logits + self.logit_offset

    def refine_scores(self, seg_logits: Tensor, prior: Tensor) -> Tensor:
        """The adaptive prior on decode-head scores (Eq. 6-8).

        The same in training, prediction and the ONNX graph: ``(N, K, H, W)`` logits and prior ->
        log-probabilities.
        """
        return refine_with_prior(
            seg_logits,
            prior,
            temperature=self.temperature,
            scale_grad=self.scale_grad,
            combine=self.combine,
            prior_eps=self.prior_eps,
        )
