"""Class statistics of label maps: pixel shares and the loss weights derived from them."""

import numpy as np
from PIL import Image


def class_weights(label_files, num_classes: int, power: float = 0.5):
    """``(frequencies, weights)`` of the classes over ``label_files``.

    A class that never occurs gets the largest weight of the others (it cannot be estimated).
    """
    counts = np.zeros(num_classes, dtype=np.int64)
    for path in label_files:
        labels = np.asarray(Image.open(path))
        if labels.ndim != 2:
            raise ValueError(f'{path}: a label map must be single-channel, got {labels.shape}')
        counts += np.bincount(labels.ravel(), minlength=256)[:num_classes]
    if counts.sum() == 0:
        raise ValueError('no labelled pixel in the label maps')
    freq = counts / counts.sum()
    weights = np.zeros(num_classes)
    seen = freq > 0
    weights[seen] = freq[seen] ** -power
    weights /= (weights * freq).sum()
    weights[~seen] = weights[seen].max()
    return freq, weights
