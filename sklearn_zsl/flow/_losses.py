"""Loss terms of the Invertible Zero-shot Flow (IZF), as pure torch functions.

The IZF objective (Shen et al., ECCV 2020) combines

- :func:`flow_nll`, the exact negative log-likelihood of the non-semantic
  factor ``z`` under N(0, I), including the flow's log-determinant;
- :func:`semantic_loss`, which pulls the semantic factor ``c`` onto the class
  semantics (the Gaussian log-likelihood of ``c`` up to scale and constant);
- :func:`centralizing_loss`, which pulls each seen class's zero-noise
  prototype onto the mean of its features;
- :func:`imq_mmd`, a kernel distance between real seen features and generated
  unseen features, pushed up so that generated unseen classes move away from
  the seen ones: :func:`negative_mmd_loss` is the paper's unbounded ``-MMD²``
  or the bounded hinge with a range penalty.

A typical objective reads
``flow_nll + w_sem * semantic_loss + w_cent * centralizing_loss
+ w_mmd * negative_mmd_loss``.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import math
from collections.abc import Sequence

import torch

IMQ_SCALES = (0.1, 0.2, 1.5, 3.0, 5.0, 10.0)


def flow_nll(z: torch.Tensor, log_det: torch.Tensor, n_dims: int) -> torch.Tensor:
    """Negative log-likelihood of the non-semantic factor, per dimension.

    Computes the batch mean of
    ``(0.5 * ||z||^2 + 0.5 * n_noise * log(2 pi) - log_det) / n_dims``,
    where ``n_noise = z.shape[1]``. Dividing by the flow's width ``n_dims``
    puts the term on the scale of a per-dimension mean, comparable with the
    mean-squared :func:`semantic_loss`. The Gaussian term of the semantic
    factor is left to :func:`semantic_loss`.

    Parameters
    ----------
    z : torch.Tensor of shape (n_samples, n_noise)
        Non-semantic factor returned by the flow.
    log_det : torch.Tensor of shape (n_samples,)
        Log-determinant returned by the flow.
    n_dims : int
        Width of the flow (``n_semantic + n_noise``).

    Returns
    -------
    loss : torch.Tensor of shape ()
        Mean negative log-likelihood per dimension, in nats.
    """
    assert z.ndim == 2, f"expected z of shape (n_samples, n_noise), got {z.shape}"
    assert log_det.shape == (z.shape[0],), (
        f"expected log_det of shape ({z.shape[0]},), got {tuple(log_det.shape)}"
    )
    assert n_dims >= z.shape[1], (
        f"n_dims={n_dims} is smaller than the noise dimension {z.shape[1]}"
    )
    n_noise = z.shape[1]
    nll = 0.5 * z.pow(2).sum(dim=1) + 0.5 * n_noise * math.log(2 * math.pi)
    return (nll - log_det).mean() / n_dims


def semantic_loss(c: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error between the semantic factor and the class semantics.

    Parameters
    ----------
    c : torch.Tensor of shape (n_samples, n_semantic)
        Semantic factor returned by the flow.
    target : torch.Tensor of shape (n_samples, n_semantic)
        Semantic vector of each sample's class.

    Returns
    -------
    loss : torch.Tensor of shape ()
        Mean over all entries of ``(c - target) ** 2``.
    """
    assert c.ndim == 2 and c.shape == target.shape, (
        f"expected c and target of the same 2-D shape, got {tuple(c.shape)} "
        f"and {tuple(target.shape)}"
    )
    return (c - target).pow(2).mean()


def centralizing_loss(
    prototypes: torch.Tensor, class_means: torch.Tensor
) -> torch.Tensor:
    """Mean Euclidean distance between class prototypes and class means.

    The distance is the plain (not squared) L2 norm, so that a far-away class
    does not dominate the term; its gradient at distance zero is zero.

    Parameters
    ----------
    prototypes : torch.Tensor of shape (n_classes, n_features)
        Zero-noise reverse pass ``inverse(c_y, 0)`` of each seen class.
    class_means : torch.Tensor of shape (n_classes, n_features)
        Mean feature vector of each seen class, in the same row order.

    Returns
    -------
    loss : torch.Tensor of shape ()
        Mean over classes of ``||prototype - mean||_2``.
    """
    assert prototypes.ndim == 2 and prototypes.shape == class_means.shape, (
        f"expected prototypes and class_means of the same 2-D shape, got "
        f"{tuple(prototypes.shape)} and {tuple(class_means.shape)}"
    )
    return torch.linalg.vector_norm(prototypes - class_means, dim=1).mean()


def _squared_distances(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Pairwise squared Euclidean distances, clamped at zero against rounding."""
    sq = (
        x.pow(2).sum(dim=1, keepdim=True)
        + y.pow(2).sum(dim=1).unsqueeze(0)
        - 2.0 * x @ y.T
    )
    return sq.clamp(min=0.0)


class _IMQKernel(torch.autograd.Function):
    """``sum_C C / (C + d^2)`` over the scales, with its derivative in one pass.

    Autograd of the sum written out would keep, and differentiate, every
    scale's quotient; the derivative ``-sum_C C / (C + d^2)^2`` is computed
    here alongside the value instead (it reuses each reciprocal), and the
    backward pass is one product. Same values as the sum written out.
    """

    @staticmethod
    def forward(ctx, sq_dist, scales):
        kernel = torch.zeros_like(sq_dist)
        slope = torch.zeros_like(sq_dist)
        for scale in scales:
            reciprocal = (sq_dist + scale).reciprocal_()
            kernel.add_(reciprocal, alpha=scale)
            slope.addcmul_(reciprocal, reciprocal, value=-scale)
        ctx.save_for_backward(slope)
        return kernel

    @staticmethod
    def backward(ctx, grad_output):
        (slope,) = ctx.saved_tensors
        return grad_output * slope, None


def _imq_kernel(sq_dist: torch.Tensor, scales: Sequence[float]) -> torch.Tensor:
    """Sum over scales ``C`` of the inverse multiquadric kernel ``C / (C + d^2)``."""
    return _IMQKernel.apply(sq_dist, tuple(float(scale) for scale in scales))


def imq_mmd(
    x: torch.Tensor, y: torch.Tensor, scales: Sequence[float] = IMQ_SCALES
) -> torch.Tensor:
    """Multi-scale inverse-multiquadric MMD² between two samples.

    The kernel is ``k(a, b) = sum_C C / (C + ||a - b||^2)`` over ``scales``,
    and the estimate is the biased one (diagonals included)::

        MMD² = mean(k(x, x)) + mean(k(y, y)) - 2 * mean(k(x, y)),

    which is non-negative (up to rounding) and zero for identical samples. IZF
    *maximises* it between real seen features and generated unseen features,
    so the training objective subtracts it.

    Parameters
    ----------
    x : torch.Tensor of shape (n_samples_x, n_features)
        First sample.
    y : torch.Tensor of shape (n_samples_y, n_features)
        Second sample.
    scales : sequence of float, default=(0.1, 0.2, 1.5, 3.0, 5.0, 10.0)
        Kernel scales ``C``, each > 0.

    Returns
    -------
    mmd : torch.Tensor of shape ()
        Biased squared MMD, differentiable in ``x`` and ``y``.
    """
    assert x.ndim == 2 and y.ndim == 2 and x.shape[1] == y.shape[1], (
        f"expected two 2-D samples with the same number of features, got "
        f"{tuple(x.shape)} and {tuple(y.shape)}"
    )
    assert len(scales) > 0 and all(scale > 0 for scale in scales), (
        f"expected a non-empty sequence of positive scales, got {scales}"
    )
    k_xx = _imq_kernel(_squared_distances(x, x), scales).mean()
    k_yy = _imq_kernel(_squared_distances(y, y), scales).mean()
    k_xy = _imq_kernel(_squared_distances(x, y), scales).mean()
    return k_xx + k_yy - 2.0 * k_xy


def negative_mmd_loss(
    x: torch.Tensor,
    negatives: torch.Tensor,
    margin: float | None = None,
    range_weight: float = 0.0,
) -> torch.Tensor:
    """Bounded negative-sample term: push generated negatives away from real data.

    With ``d = imq_mmd(x, negatives)`` the term is

    - ``-d`` when ``margin`` is None (the unbounded term of the paper: it has
      no minimum, so the negatives can run away from all data);
    - ``relu(margin - d)`` otherwise (a hinge: the push stops once the MMD²
      reaches ``margin``, and the term is bounded in [0, margin]);

    plus ``range_weight`` times the batch mean of the squared Euclidean
    distance of each negative to the box [0, 1]^n_features, the range of the
    min-max scaled training features (zero inside the box). The hinge alone
    does not stop a divergence: spreading the negatives over a huge region
    also raises the MMD²; the range penalty keeps them where data can lie.

    Parameters
    ----------
    x : torch.Tensor of shape (n_samples, n_features)
        Real (min-max scaled) features.
    negatives : torch.Tensor of shape (n_negatives, n_features)
        Generated features of the negative (unseen) classes.
    margin : float or None, default=None
        Target MMD² of the hinge, > 0; None gives the unbounded ``-d``.
    range_weight : float, default=0.0
        Weight of the penalty on negatives outside [0, 1], >= 0.

    Returns
    -------
    loss : torch.Tensor of shape ()
        The term to *add* to the objective (to minimise).
    """
    mmd = imq_mmd(x, negatives)
    loss = -mmd if margin is None else torch.relu(margin - mmd)
    if range_weight:
        outside = torch.relu(negatives - 1.0) + torch.relu(-negatives)
        loss = loss + range_weight * outside.pow(2).sum(dim=1).mean()
    return loss
