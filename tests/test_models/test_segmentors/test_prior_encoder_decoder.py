import math
import os.path as osp

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.dataset import pseudo_collate
from mmseg.registry import DATASETS, MODELS


def _model(prior_in_test=True, class_weight=None, loss_type='CrossEntropyLoss', **kwargs):
    loss = dict(type=loss_type, use_sigmoid=False, class_weight=class_weight)
    cfg = dict(
        type='PriorEncoderDecoder',
        prior_in_test=prior_in_test,
        **kwargs,
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[0, 0, 0],
            std=[1, 1, 1],
            size=(96, 96),
            seg_pad_val=255,
        ),
        backbone=dict(type='RedNetEncoder', arch='tiny'),
        decode_head=dict(
            type='RDHead',
            in_channels=128,
            channels=16,
            unit_channels=(128, 64, 32, 16),
            num_classes=11,
            loss_decode=loss,
        ),
        test_cfg=ConfigDict(mode='whole'),
    )
    model = MODELS.build(cfg)
    model.init_weights()
    # a decoder that knows nothing: uniform scores, adaptive scale 1 everywhere
    torch.nn.init.zeros_(model.decode_head.conv_seg.weight)
    torch.nn.init.zeros_(model.decode_head.conv_seg.bias)
    return model


def _data(root, split, crop=None):
    steps = [dict(type='RandomCrop', crop_size=crop)] if crop else []
    load_ann = [dict(type='LoadAnnotations')]
    pipe = [
        dict(type='LoadImageFromFile'),
        *(load_ann if crop else []),
        dict(type='LoadFaceLandmarks'),  # Resize scales the points the prior is rendered from
        dict(type='Resize', scale=(80, 80), keep_ratio=True),
        dict(type='LoadFacePrior', bank_file=osp.join(root, 'prior_bank.npz'), num_neighbors=2),
        *steps,
        *([] if crop else load_ann),
        dict(type='PackFaceInputs'),
    ]
    return DATASETS.build(
        dict(
            type='HelenDataset',
            data_root=root,
            pipeline=pipe,
            data_prefix=dict(
                img_path=f'images/{split}',
                seg_map_path=f'annotations/{split}',
                landmark_path=f'landmarks/{split}',
            ),
        )
    )


@pytest.mark.parametrize('combine', ['sum', 'product'])
def test_inference_uses_prior_at_ground_truth_resolution(helen_converted, combine):
    model = _model(combine=combine).eval()
    ds = _data(helen_converted, 'test')
    for i in range(2):
        batch = pseudo_collate([ds[i]])
        with torch.no_grad():
            sample = model.test_step(batch)[0]
        src = batch['data_samples'][0]
        gt = sample.gt_sem_seg.data
        assert sample.pred_sem_seg.data.shape == gt.shape  # original resolution
        # uniform scores: the refined map is (1/K + prior) / 2 (sum, scale 1) or
        # (prior + eps) / (1 + K eps) (product), its argmax the prior's
        prior = torch.nn.functional.interpolate(
            src.face_prior.data[None], gt.shape[-2:], mode='bilinear'
        )[0]
        agree = (sample.pred_sem_seg.data[0] == prior.argmax(0)).float().mean()
        assert agree > 0.97
        probs = sample.seg_logits.data.exp()
        # normalised log-probabilities; mmseg resizes them bilinearly to the original size,
        # which lowers the sums only where the map changes between pixels
        sums = probs.sum(0)
        assert sums.max() <= 1 + 1e-5 and abs(sums.median() - 1) < 1e-5
        bound = (1 / 11 + 1) / 2 if combine == 'sum' else 1.01 / 1.11
        assert probs.max() <= bound + 1e-5
    off = _model(prior_in_test=False).eval()
    with torch.no_grad():
        plain = off.test_step(batch)
    assert (plain[0].pred_sem_seg.data == 0).all()  # uniform scores: argmax is class 0


def _uniform_loss_and_priors(model, root):
    """The decode loss of a 2-crop batch with a deterministic head, term by term.

    Per sample the valid-pixel mask, the prior padded to the label (zeros = no prior) and Pr(label);
    and the pixel count (the loss averages over all pixels, padding included).
    """
    batch = pseudo_collate([_data(root, 'train', crop=(64, 64))[i] for i in range(2)])
    data = model.data_preprocessor(batch, True)
    model.decode_head.dropout = None  # deterministic head
    loss = model.loss(**data)['decode.loss_ce']
    per_sample = []
    for s in data['data_samples']:
        label = s.gt_sem_seg.data[0]
        prior = s.face_prior.data
        pad = torch.zeros(11, *label.shape)
        pad[:, : prior.shape[1], : prior.shape[2]] = prior
        p_label = pad.gather(0, label.clamp(max=10)[None].long())[0]
        per_sample.append((label != 255, pad, p_label))
    return loss, per_sample, sum(mask.numel() for mask, _, _ in per_sample)


def test_training_loss_is_eq2(helen_converted):
    model = _model(combine='sum').train()
    loss, per_sample, count = _uniform_loss_and_priors(model, helen_converted)
    # Eq. 2 by hand: -log((1/K + Pr(label)) / 2) per valid pixel, mean over all pixels
    total = 0.0
    for valid, _, p_label in per_sample:
        total += -torch.log((1 / 11 + p_label[valid]) / 2).sum().item()
    assert math.isclose(loss.item(), total / count, rel_tol=1e-4)
    loss.backward()
    assert all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)


def test_the_default_is_the_papers_sum():
    assert _model().combine == 'sum'


def test_training_loss_with_bayes_rule(helen_converted):
    """combine='product' (this project's option): the loss with uniform logits.

    With uniform logits the loss is the cross-entropy of the smoothed prior, -log((Pr(label) + eps)
    / (1 + K eps)); where there is no prior (the padding) it is the network's own, log K.
    """
    model = _model(combine='product').train()
    loss, per_sample, count = _uniform_loss_and_priors(model, helen_converted)
    total = 0.0
    for valid, pad, p_label in per_sample:
        no_prior = pad.sum(0)[valid] == 0
        nll = -torch.log((p_label[valid] + 0.01) / (pad.sum(0)[valid] + 0.11))
        nll[no_prior] = math.log(11)
        total += nll.sum().item()
    assert math.isclose(loss.item(), total / count, rel_tol=1e-4)


def test_learned_temperature_is_trained_by_its_own_loss_only(helen_converted):
    """calibrate=True: ``loss_calib`` trains only T; the refined loss never touches T.

    ``loss_calib`` is the cross-entropy of softmax(logits / T), logits detached; an over-confident
    wrong decoder pushes T up. scale_grad=False keeps the refined loss's gradient out of the entropy
    scale.
    """
    cal = _model(calibrate=True, scale_grad=False)
    assert isinstance(cal.log_temperature, torch.nn.Parameter)
    torch.nn.init.constant_(cal.decode_head.conv_seg.bias, 0.0)
    with torch.no_grad():
        cal.decode_head.conv_seg.bias[9] = 20.0  # confidently "lower lip" everywhere: wrong
    cal.train()
    batch = pseudo_collate([_data(helen_converted, 'train', crop=(64, 64))[i] for i in range(2)])
    losses = cal.loss(**cal.data_preprocessor(batch, True))
    assert {'loss_calib', 'decode.loss_ce'} <= set(losses)
    losses['decode.loss_ce'].backward(retain_graph=True)
    assert cal.log_temperature.grad is None  # the refined loss does not train T
    assert cal.decode_head.conv_seg.bias.grad is not None
    cal.zero_grad()
    losses['loss_calib'].backward()
    assert cal.log_temperature.grad < 0  # descent raises T: the decoder is over-confident
    assert all(
        p.grad is None or not p.grad.any()
        for n, p in cal.named_parameters()
        if n != 'log_temperature'
    )


def test_logit_adjustment_subtracts_a_share_of_log_class_weights(helen_converted):
    weights = [0.5, 1.0, 8.0, 8.0, 12.0, 12.0, 4.0, 9.0, 9.0, 6.0, 1.5]
    offset = -0.5 * torch.tensor(weights).log()
    batch = pseudo_collate([_data(helen_converted, 'test')[0]])
    # uniform head, no prior: the scores are the offsets themselves, the label the
    # class with the smallest weight
    plain = _model(prior_in_test=False, class_weight=weights, logit_adjust=0.5).eval()
    assert 'logit_offset' not in plain.state_dict()  # derived from the config
    with torch.no_grad():
        sample = plain.test_step(batch)[0]
    scores = sample.seg_logits.data
    torch.testing.assert_close(scores, offset.view(-1, 1, 1).expand_as(scores))
    assert (sample.pred_sem_seg.data == 0).all()
    # with the prior: the refined log-probabilities plus the same offsets
    adjusted = _model(class_weight=weights, logit_adjust=0.5).eval()
    reference = _model(class_weight=weights).eval()
    with torch.no_grad():
        a = adjusted.test_step(batch)[0].seg_logits.data
        r = reference.test_step(batch)[0].seg_logits.data
    torch.testing.assert_close(a, r + offset.view(-1, 1, 1))


def test_logit_adjustment_needs_class_weights():
    with pytest.raises(ValueError, match='class-weighted decode loss'):
        _model(logit_adjust=0.5)
    with pytest.raises(ValueError, match='11 positive class weights'):
        _model(class_weight=[1.0, 0.0] + [1.0] * 9, logit_adjust=0.5)


def test_predict_without_samples_names_the_missing_prior():
    model = _model().eval()
    with pytest.raises(ValueError, match="needs data_samples carrying each image's face prior"):
        model.predict(torch.rand(1, 3, 96, 96))
    out = _model(prior_in_test=False).eval().predict(torch.rand(1, 3, 96, 96))
    assert out[0].pred_sem_seg.data.shape == (1, 96, 96)


def _soft_batch(root, model):
    """A 2-crop training batch whose samples carry one-hot soft labels (no resampling after)."""
    pipe = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadFaceLandmarks'),
        dict(type='Resize', scale=(80, 80), keep_ratio=True),
        dict(type='LoadFacePrior', bank_file=osp.join(root, 'prior_bank.npz'), num_neighbors=2),
        dict(type='LoadAnnotations'),
        dict(type='SoftFaceLabels', num_classes=11),
        dict(type='RandomCrop', crop_size=(64, 64)),
        dict(type='PackFaceInputs'),
    ]
    ds = DATASETS.build(
        dict(
            type='HelenDataset',
            data_root=root,
            pipeline=pipe,
            data_prefix=dict(
                img_path='images/train',
                seg_map_path='annotations/train',
                landmark_path='landmarks/train',
            ),
        )
    )
    return model.data_preprocessor(pseudo_collate([ds[0], ds[1]]), True)


@pytest.mark.parametrize('class_weight', [None, [0.5, 1, 2, 3, 1.5, 1, 1, 2, 1, 1, 0.7]])
def test_soft_labels_one_hot_give_the_hard_loss(helen_converted, class_weight):
    """``gt_soft_seg`` in the samples: the soft loss, equal to the hard one on one-hot targets.

    Padding (the preprocessor pads the labels with 255) counts as ignored in both.
    """
    torch.manual_seed(0)
    model = _model(
        combine='product', class_weight=class_weight, loss_type='FaceCrossEntropyLoss'
    ).train()
    torch.nn.init.normal_(model.decode_head.conv_seg.weight, std=0.3)  # scores that vary
    model.decode_head.dropout = None
    data = _soft_batch(helen_converted, model)
    assert (data['inputs'].shape[-2:]) == (96, 96)  # padded: the soft targets are padded too
    soft = model.loss(**data)
    for sample in data['data_samples']:
        del sample.gt_soft_seg
    hard = model.loss(**data)
    # the same non-negative terms summed in another order (cascaded CPU sums: about log2(terms)
    # fp32 roundings of the total each)
    terms = data['data_samples'][0].gt_sem_seg.data.numel() * len(data['data_samples']) * 11
    tol = 4 * math.log2(terms) * torch.finfo(torch.float32).eps
    assert math.isclose(soft['decode.loss_ce'].item(), hard['decode.loss_ce'].item(), rel_tol=tol)
    assert math.isclose(soft['decode.acc_seg'].item(), hard['decode.acc_seg'].item(), rel_tol=1e-6)


def test_soft_labels_need_one_softmax_cross_entropy(helen_converted):
    model = _model(combine='product').train()
    model.decode_head.loss_decode.use_sigmoid = True
    data = _soft_batch(helen_converted, model)
    with pytest.raises(ValueError, match='one softmax cross-entropy'):
        model.loss(**data)
