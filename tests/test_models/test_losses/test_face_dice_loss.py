"""FaceDiceLoss: 1 - mean F1 on confident scores; ignored pixels out; bounds; the registry."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from mmseg.registry import MODELS

from rednet_mmseg.models.losses import FaceDiceLoss


def _hard_f1(pred: np.ndarray, labels: np.ndarray, classes, eps: float) -> np.ndarray:
    """Per-class F1 of a hard prediction, from counts, with the loss's smoothing."""
    valid = labels != 255
    out = []
    for c in classes:
        p, y = (pred == c) & valid, (labels == c) & valid
        out.append((2 * (p & y).sum() + eps) / (p.sum() + y.sum() + eps))
    return np.array(out)


@settings(max_examples=40, deadline=None)
@given(
    k=st.integers(2, 8),
    h=st.integers(1, 7),
    w=st.integers(1, 7),
    ignored=st.floats(0, 1),
    subset=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_confident_scores_give_one_minus_the_mean_f1(k, h, w, ignored, subset, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, (2, h, w))
    labels[rng.random((2, h, w)) < ignored] = 255
    pred = rng.integers(0, k, (2, h, w))
    # scores 60 apart: softmax is one-hot to exp(-60), far below fp32's resolution of 1
    logits = torch.from_numpy(np.eye(k)[pred] * 60.0).permute(0, 3, 1, 2).float()
    classes = sorted(rng.choice(k, rng.integers(1, k + 1), replace=False)) if subset else None
    loss = FaceDiceLoss(classes=classes, eps=0.5)(logits, torch.from_numpy(labels))
    f1 = _hard_f1(pred, labels, range(k) if classes is None else classes, eps=0.5)
    # fp32 sums over the batch's pixels: each off by at most about that many roundings
    tol = 4 * labels.size * torch.finfo(torch.float32).eps
    assert loss.item() == pytest.approx(1 - f1.mean(), abs=tol)
    assert 0.0 <= loss.item() <= 1.0


def test_ignored_pixels_take_no_part():
    torch.manual_seed(0)
    labels = torch.randint(0, 4, (2, 6, 6))
    labels[:, :2] = 255
    logits = torch.randn(2, 4, 6, 6, requires_grad=True)
    loss = FaceDiceLoss()(logits, labels)
    other = logits.detach().clone()
    other[:, :, :2] = torch.randn(2, 4, 2, 6) * 10  # any scores where the labels are ignored
    assert FaceDiceLoss()(other, labels).item() == pytest.approx(loss.item(), abs=1e-6)
    loss.backward()
    assert logits.grad[:, :, :2].abs().max().item() == 0.0
    assert logits.grad[:, :, 2:].abs().max().item() > 0.0


def test_perfect_scores_approach_zero_and_weight_scales():
    labels = torch.tensor([[[0, 1], [2, 2]]])
    logits = torch.nn.functional.one_hot(labels, 3).permute(0, 3, 1, 2).float() * 50
    assert FaceDiceLoss()(logits, labels).item() == pytest.approx(0.0, abs=1e-6)
    uniform = torch.zeros(1, 3, 2, 2)
    one = FaceDiceLoss(eps=1e-6)(uniform, labels).item()
    # each class: 2 * (count / 3) / (4 / 3 + count): F1 of the uniform guess
    counts = np.array([1, 1, 2])
    expected = 1 - np.mean(2 * (counts / 3) / (4 / 3 + counts))
    assert one == pytest.approx(expected, abs=1e-5)
    assert FaceDiceLoss(loss_weight=0.5, eps=1e-6)(uniform, labels).item() == pytest.approx(
        one / 2, abs=1e-6
    )


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match='distinct non-negative'):
        FaceDiceLoss(classes=[1, 1])
    with pytest.raises(ValueError, match='distinct non-negative'):
        FaceDiceLoss(classes=[])
    with pytest.raises(ValueError, match='eps must be positive'):
        FaceDiceLoss(eps=0)
    logits, labels = torch.zeros(1, 3, 2, 2), torch.zeros(1, 2, 2, dtype=torch.long)
    with pytest.raises(ValueError, match='do not fit scores of 3 classes'):
        FaceDiceLoss(classes=[1, 3])(logits, labels)
    with pytest.raises(ValueError, match='label 7 is outside the 3 classes'):
        FaceDiceLoss()(logits, torch.full((1, 2, 2), 7))
    with pytest.raises(ValueError, match='per-pixel weights'):
        FaceDiceLoss()(logits, labels, weight=torch.ones(1, 2, 2))


def test_a_decode_head_trains_on_it_beside_the_cross_entropy():
    """Built from a config's loss list, its value arrives under its own name."""
    from mmengine.structures import PixelData
    from mmseg.models.decode_heads import FCNHead
    from mmseg.structures import SegDataSample

    import rednet_mmseg  # noqa: F401  (registers FaceDiceLoss)

    assert MODELS.get('FaceDiceLoss') is FaceDiceLoss
    head = FCNHead(
        in_channels=4,
        channels=4,
        num_convs=1,
        num_classes=3,
        loss_decode=[
            dict(type='CrossEntropyLoss', loss_weight=1.0),
            dict(type='FaceDiceLoss', classes=[1, 2], loss_weight=0.5),
        ],
    )
    sample = SegDataSample()
    sample.gt_sem_seg = PixelData(data=torch.randint(0, 3, (1, 8, 8)))
    losses = head.loss_by_feat(torch.randn(1, 3, 8, 8), [sample])
    assert set(losses) == {'loss_ce', 'loss_dice', 'acc_seg'}
    assert 0.0 < losses['loss_dice'].item() <= 0.5
