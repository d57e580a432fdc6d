"""The upstream workarounds, each applied once.

The compiled-op stand-in and mmengine pointed at our checkpoint policy.
"""

import sys

import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

from rednet_mmseg.utils import checkpoint, upstream_compat


def test_mmseg_models_import_and_missing_ops_raise_only_when_called():
    import mmseg.models  # noqa: F401  (fails with "No module named 'mmcv._ext'" unpatched)

    ext = sys.modules['mmcv._ext']
    if getattr(ext, 'REDNET_STANDIN', False):
        assert ext.__spec__ is not None
        with pytest.raises(NotImplementedError, match='sigmoid_focal_loss_forward'):
            ext.sigmoid_focal_loss_forward()


def test_apply_is_idempotent():
    from mmengine.runner import Runner

    resume = Runner.resume
    upstream_compat.apply()
    assert Runner.resume is resume


def test_mmengine_loads_local_checkpoints_through_the_policy():
    if tuple(int(v) for v in torch.__version__.split('.')[:2]) >= (2, 6):
        assert CheckpointLoader._schemes[''] is checkpoint.safe_load


def test_class_weighted_cross_entropy_with_ignored_pixels():
    """Mmseg 1.2.2's class-weighted loss with ignored pixels, patched.

    Upstream failed on any ignored pixel (IndexError 255); patched, it is the weighted mean over the
    labelled pixels (PyTorch's weighted cross-entropy).
    """
    from mmseg.models.losses import CrossEntropyLoss

    torch.manual_seed(0)
    pred = torch.randn(2, 3, 4, 5)
    label = torch.randint(0, 3, (2, 4, 5))
    label[0, :2] = 255
    w = [0.5, 2.0, 4.0]
    loss = CrossEntropyLoss(class_weight=w, avg_non_ignore=True)(pred, label, ignore_index=255)
    expected = torch.nn.functional.cross_entropy(
        pred, label, weight=torch.tensor(w), ignore_index=255
    )
    torch.testing.assert_close(loss, expected)
    plain = CrossEntropyLoss()(pred, label, ignore_index=255)  # mmseg's default: / all pixels
    raw = torch.nn.functional.cross_entropy(pred, label, ignore_index=255, reduction='sum')
    torch.testing.assert_close(plain, raw / label.numel())


@pytest.mark.parametrize('avg_non_ignore', [False, True])
@pytest.mark.parametrize('reduction', ['mean', 'sum'])
def test_weighted_cross_entropy_equals_upstream_where_upstream_works(avg_non_ignore, reduction):
    """No ignored pixel: a stock mmseg loss with class_weight gives upstream's exact value."""
    from mmseg.models.losses import cross_entropy_loss

    patched = cross_entropy_loss.cross_entropy
    upstream = getattr(patched, '_rednet_upstream', None)
    if upstream is None:
        pytest.skip('the installed mmseg needs no patch')
    torch.manual_seed(1)
    pred, label = torch.randn(2, 4, 6, 7), torch.randint(0, 4, (2, 6, 7))
    w = torch.tensor([0.3, 1.0, 2.5, 7.0])
    kwargs = dict(class_weight=w, reduction=reduction, ignore_index=255)
    ours = patched(pred, label, avg_non_ignore=avg_non_ignore, **kwargs)
    theirs = upstream(pred, label, avg_non_ignore=avg_non_ignore, **kwargs)
    # the same terms; only the normaliser's summation order differs: n positive fp32 terms
    bound = label.numel() * torch.finfo(torch.float32).eps
    assert torch.allclose(ours, theirs, rtol=bound, atol=0), (ours, theirs)


def test_active_patches_are_listed():
    active = upstream_compat.active_patches()
    assert all(isinstance(a, str) for a in active)
    if getattr(sys.modules.get('mmcv._ext'), 'REDNET_STANDIN', False):
        assert 'mmcv._ext stand-in (mmcv-lite)' in active
    assert not upstream_compat._weighted_cross_entropy_is_broken()  # patched: the probe passes
