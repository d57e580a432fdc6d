"""The prior's pipeline form survives mmseg's value-based left/right label swap."""

import numpy as np
from mmseg.datasets.transforms import RandomFlip

from rednet_mmseg.datasets.transforms.prior_storage import (
    STORED_NO_PRIOR,
    is_stored_prior,
    restore_prior,
    store_prior,
)


def test_round_trip_and_no_prior_value():
    prior = np.random.default_rng(0).dirichlet(np.ones(11), size=(4, 5)).astype(np.float32)
    stored = store_prior(prior)
    assert is_stored_prior(stored) and stored.max() <= 0 and stored.min() >= -1
    # two fp32 roundings at magnitudes <= 1: at most 2 * 2**-24 each way
    np.testing.assert_allclose(restore_prior(stored), prior, rtol=0, atol=2 * 2.0**-24)
    assert restore_prior(np.float32(STORED_NO_PRIOR)) == 0


def test_label_swap_cannot_touch_a_stored_prior():
    """RandomFlip swaps the *values* 2<->3 and 4<->5 in every seg field.

    Stored prior values (in [-1, 0]) are never class indices, so only the mirroring touches them.
    """
    prior = np.zeros((2, 3, 11), np.float32)
    prior[..., 2] = 1.0
    results = dict(
        img=np.zeros((2, 3, 3), np.uint8),
        gt_seg_map=np.full((2, 3), 2, np.uint8),
        gt_prior=store_prior(prior),
        seg_fields=['gt_seg_map', 'gt_prior'],
    )
    out = RandomFlip(prob=1.0, swap_seg_labels=[(2, 3), (4, 5)])(results)
    assert (out['gt_seg_map'] == 3).all()  # labels swapped
    np.testing.assert_array_equal(out['gt_prior'], store_prior(prior))  # values kept


def test_restore_never_gives_a_negative_probability():
    """A stored prior that overshoots -1 by a rounding restores to a probability.

    Resampling the stored form overshoots -1 by a rounding (seen: -1.2e-7 after a crop and resize);
    restored it must stay a probability, else the refinement's log is NaN.
    """
    overshoot = np.array([-1.0 - 2.0**-23, -0.5, 2.0**-23], dtype=np.float32)
    restored = restore_prior(overshoot)
    assert restored.min() == 0 and restored.max() <= 1
