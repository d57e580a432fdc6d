"""Edge-aware refinement of a face crop's class probabilities: the guided filter.

Not in the RED-Net paper. The network's scores come at its input's scale (a face crop of about
220 px) and are resized bilinearly to the crop, so class boundaries in the photo are as coarse
as the network's grid. The guided filter (He, Sun and Tang, "Guided Image Filtering", ECCV 2010,
TPAMI 2013) fits each class probability, in every ``(2r + 1)``-pixel window, as a linear function
of the photo's grey level, ``q = a * I + b``, and averages the fits: probabilities follow the
photo's edges where it has some and are smoothed where it has none. It is linear in the
probabilities, so each pixel's probabilities still sum to one.

The coefficients ``a`` and ``b`` are fitted on a small grid (:func:`guided_coefficients`) and
resized to the crop, where ``q`` is formed with the crop's own grey levels
(:func:`apply_coefficients`): the "fast guided filter" (He and Sun, arXiv:1505.00996, 2015), a
few box filters on a small map whatever the photo's size. The hot path
(:class:`~rednet_mmseg.apis.crop_parser.CropParser`) fits them on the network's own grid, where
its probabilities are made, so refining costs less than resizing the probabilities of a face and
its mirror to the crop; :func:`guided_probs` fits them on crop-sized probabilities resized to a
``work_side`` grid (the reference path, any parser).

Chosen on the dev set's 40 tuning photos (``docs/en/inference.md``, *Refinement*): radius 2 on
a grid of about 220 px (the network's), ``eps = 0.01`` (grey levels in [0, 1]).
``FaceParsingInferencer(refine=...)`` and the tools' ``--refine`` turn it on or off.
"""

from typing import Tuple

import cv2
import numpy as np
import torch
import torch.nn.functional as F

#: the ways a crop's probabilities are refined before the argmax
REFINE_MODES = ('guided', 'none')
#: the default of ``FaceParsingInferencer`` and the tools for a config that names none
DEFAULT_REFINE = 'guided'
#: window radius (pixels of a grid whose longer side is WORK_SIDE), regularisation
RADIUS, EPS, WORK_SIDE = 2, 0.01, 220


def check_refine(refine: str) -> str:
    """``refine`` if it is one of :data:`REFINE_MODES`, else a ``ValueError`` naming them."""
    if refine not in REFINE_MODES:
        raise ValueError(f'refine must be one of {REFINE_MODES}, got {refine!r}')
    return refine


def config_refine(cfg) -> str:
    """A model's own default: its config's ``parse_cfg = dict(refine=...)``, else guided.

    A model whose probabilities the guided filter hurts says so in its config (both shipped
    models, trained with a soft-F1 term: the filter shrank their brows and eyes on the tuning
    photos, docs/en/inference.md).
    """
    refine = (cfg.get('parse_cfg') or {}).get('refine', DEFAULT_REFINE)
    try:
        return check_refine(refine)
    except ValueError as err:
        raise ValueError(f"the config's parse_cfg: {err}") from None


def grey(image: np.ndarray) -> np.ndarray:
    """``(h, w)`` uint8 grey levels of a ``(h, w, 3)`` BGR image (a grey one as it is)."""
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


def grid_radius(side: int, radius: int = RADIUS, work_side: int = WORK_SIDE) -> int:
    """The window radius on a grid whose longer side is ``side`` (at least 1)."""
    return max(1, int(round(radius * min(side, work_side) / work_side)))


def _box(x: np.ndarray, r: int) -> np.ndarray:
    """Mean over the ``(2r + 1)`` square window of each pixel (edges mirrored), shape kept."""
    size = (2 * r + 1, 2 * r + 1)
    return cv2.boxFilter(x, -1, size, borderType=cv2.BORDER_REFLECT).reshape(x.shape)


def guided_coefficients(
    probs: torch.Tensor, guide: np.ndarray, r: int, eps: float = EPS
) -> Tuple[torch.Tensor, torch.Tensor]:
    """The window-averaged coefficients ``(a, b)`` of the guided filter, each ``(K, h, w)``.

    Args:
        probs (torch.Tensor): ``(K, h, w)`` float class probabilities.
        guide (np.ndarray): ``(h, w)`` float32 grey levels in [0, 1].
        r (int): window radius.
        eps (float): regularisation of the fit; large: ``a = 0``, a plain box blur.
    """
    k = probs.shape[0]
    p = np.ascontiguousarray(probs.float().permute(1, 2, 0).numpy()).reshape(*guide.shape, k)
    mean_g = _box(guide, r)
    var_g = _box(guide * guide, r) - mean_g * mean_g
    mean_p = _box(p, r)
    cov_gp = _box(guide[..., None] * p, r) - mean_g[..., None] * mean_p
    a = cov_gp / (var_g[..., None] + eps)
    b = mean_p - a * mean_g[..., None]
    a = torch.from_numpy(_box(a, r)).permute(2, 0, 1).contiguous()
    b = torch.from_numpy(_box(b, r)).permute(2, 0, 1).contiguous()
    return a, b


def apply_coefficients(a: torch.Tensor, b: torch.Tensor, gray: np.ndarray) -> torch.Tensor:
    """``(K, h, w)`` refined probabilities ``a * I + b`` at the size of ``gray`` (``(h, w)`` uint8).

    ``a`` and ``b`` (``(K, h', w')``) are resized bilinearly to it first where they differ.
    """
    h, w = gray.shape
    if a.shape[1:] != (h, w):
        size = (h, w)
        a = F.interpolate(a[None], size=size, mode='bilinear', align_corners=False)[0]
        b = F.interpolate(b[None], size=size, mode='bilinear', align_corners=False)[0]
    return torch.addcmul(b, a, torch.from_numpy(gray).float().div_(255))


def refine_on_grid(
    probs: torch.Tensor,
    gray: np.ndarray,
    radius: int = RADIUS,
    eps: float = EPS,
    work_side: int = WORK_SIDE,
) -> torch.Tensor:
    """``(K, h, w)`` refined probabilities from ``(K, h', w')`` ones on a grid of the crop.

    The coefficients are fitted on the probabilities' grid, with the crop's grey levels
    (``gray``, ``(h, w)`` uint8) resized to it as the guide and the radius scaled to the grid's
    longer side (:func:`grid_radius`), then applied at the crop's size. Arguments as
    :func:`guided_probs`.
    """
    size = tuple(probs.shape[1:])
    guide = (
        gray if gray.shape == size else cv2.resize(gray, size[::-1], interpolation=cv2.INTER_AREA)
    )
    r = grid_radius(max(size), radius, work_side)
    a, b = guided_coefficients(probs, guide.astype(np.float32) / 255, r, eps)
    return apply_coefficients(a, b, gray)


def guided_probs(
    probs: torch.Tensor,
    image: np.ndarray,
    radius: int = RADIUS,
    eps: float = EPS,
    work_side: int = WORK_SIDE,
) -> torch.Tensor:
    """``(K, h, w)`` probabilities refined by the fast guided filter (module docstring).

    The coefficients are fitted with ``probs`` and ``image`` resized so that the longer side is
    ``work_side`` (at their own size when smaller, the radius scaled down with it).

    Args:
        probs (torch.Tensor): ``(K, h, w)`` float class probabilities of a crop.
        image (np.ndarray): the crop, ``(h, w, 3)`` uint8 BGR or ``(h, w)`` uint8 grey: the guide.
        radius (int): window radius at the working side.
        eps (float): regularisation of the fit (grey levels in [0, 1]); large: a plain box blur.
        work_side (int): the longer side of the grid the coefficients are fitted on.

    Returns:
        torch.Tensor: ``(K, h, w)`` float32; each pixel's values sum to what ``probs``' sum to
        (to float rounding); values may leave [0, 1] slightly near strong edges.
    """
    h, w = probs.shape[1:]
    if image.shape[:2] != (h, w):
        raise ValueError(f'guided_probs: image {image.shape[:2]} and probs {(h, w)} differ in size')
    side = max(h, w)
    probs = probs.float()
    if side > work_side:  # fit on the working grid
        size = (max(1, round(h * work_side / side)), max(1, round(w * work_side / side)))
        probs = F.interpolate(probs[None], size=size, mode='bilinear', align_corners=False)[0]
    return refine_on_grid(probs, grey(image), radius, eps, work_side)
