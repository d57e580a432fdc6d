"""How the face prior travels through the data pipeline (one home for the convention).

``LoadFacePrior`` registers the prior in ``seg_fields``, so mmseg's geometric transforms move it
exactly like the label map; mmseg's ``RandomFlip(swap_seg_labels=...)`` however swaps *values*
of those maps, which would alter a probability map that holds a class index's value. While in
the pipeline the prior is therefore stored as ``prior - 1`` (values in ``[-1, 0]``, never a class
index), resampled with ``STORED_NO_PRIOR`` outside the image (prior 0), and restored by
``PackFaceInputs``.
"""

import numpy as np

#: The stored value of "no prior" (prior 0), e.g. outside the image after a crop.
STORED_NO_PRIOR = -1.0


def store_prior(prior: np.ndarray) -> np.ndarray:
    """``(H, W, K)`` prior -> its pipeline form (``prior - 1``)."""
    return prior + STORED_NO_PRIOR


def restore_prior(stored: np.ndarray) -> np.ndarray:
    """The pipeline form -> the ``(H, W, K)`` prior, clipped to ``[0, 1]``.

    Resampling the stored form can overshoot ``-1`` by a rounding (-1.2e-7 seen after a crop and
    resize), which restored is a negative probability, and its log in the refinement a NaN loss.
    """
    return np.clip(stored - STORED_NO_PRIOR, 0.0, 1.0)


def is_stored_prior(arr: np.ndarray) -> bool:
    """Whether a ``seg_fields`` map is a stored prior (float) rather than a label map."""
    return np.issubdtype(arr.dtype, np.floating)
