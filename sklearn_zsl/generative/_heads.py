"""Classification heads shared by the generative zero-shot models.

A generative model turns class semantics into a distribution of features; one
of two heads then scores real features against every class:

- a Gaussian likelihood (:func:`gaussian_log_likelihood`), when the model has
  an explicit class-conditional density;
- a softmax classifier trained on the real features of the seen classes and on
  features generated for the unseen classes (:func:`fit_softmax_head` and
  :func:`softmax_head_scores`), the f-CLSWGAN protocol.

These helpers are private to the package but importable, so that every
generative estimator (GFZSL, IZF) uses the same code.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

__all__ = ["fit_softmax_head", "gaussian_log_likelihood", "softmax_head_scores"]

#: Rows of ``X`` scored at a time by :func:`gaussian_log_likelihood`.
_CHUNK_ROWS = 4096


def fit_softmax_head(
    X_real: np.ndarray,
    y_real: np.ndarray,
    X_synthetic: np.ndarray | None,
    y_synthetic: np.ndarray | None,
    *,
    C: float,
    max_iter: int = 500,
    random_state=None,
) -> LogisticRegression:
    """Fit a multinomial logistic regression on real and synthetic features.

    Parameters
    ----------
    X_real : ndarray of shape (n_real, n_features)
        Real features (of the seen classes).
    y_real : ndarray of shape (n_real,)
        Their class labels.
    X_synthetic : ndarray of shape (n_synthetic, n_features) or None
        Generated features (of the unseen classes); ``None`` or zero rows
        when there are none, e.g. without unseen classes.
    y_synthetic : ndarray of shape (n_synthetic,) or None
        Their class labels, of the same kind as ``y_real``.
    C : float
        Inverse L2 regularisation strength.
    max_iter : int, default=500
        Iterations of L-BFGS.
    random_state : int, RandomState instance or None, default=None
        Passed to :class:`~sklearn.linear_model.LogisticRegression` (L-BFGS
        itself is deterministic).

    Returns
    -------
    head : LogisticRegression
        The fitted classifier; its ``classes_`` are the sorted labels of
        ``y_real`` and ``y_synthetic``.
    """
    X, y = X_real, np.asarray(y_real)
    if X_synthetic is not None and len(X_synthetic):
        assert len(X_synthetic) == len(y_synthetic), (
            f"{len(X_synthetic)} synthetic rows but {len(y_synthetic)} labels"
        )
        X = np.concatenate([X_real, X_synthetic])
        y = np.concatenate([y, np.asarray(y_synthetic)])
    head = LogisticRegression(C=C, max_iter=max_iter, random_state=random_state)
    return head.fit(X, y)


def softmax_head_scores(head, X: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Logits of a fitted softmax head, one column per class of ``classes``.

    Parameters
    ----------
    head : LogisticRegression
        A head returned by :func:`fit_softmax_head`, trained on samples of
        every class of ``classes``.
    X : ndarray of shape (n_samples, n_features)
        Features, in the units the head was trained on.
    classes : ndarray of shape (n_classes,)
        Labels; the columns of the result follow this order.

    Returns
    -------
    scores : ndarray of shape (n_samples, n_classes)
        Float64 logits. For a binary head (one decision value ``s``) the
        logits are ``(-s / 2, s / 2)``, whose softmax is the head's
        probabilities.
    """
    head_classes = head.classes_
    columns = np.searchsorted(head_classes, classes)
    columns = np.minimum(columns, head_classes.shape[0] - 1)
    if head_classes.shape[0] != len(classes) or np.any(
        head_classes[columns] != classes
    ):
        raise ValueError(
            f"The softmax head was trained on classes {head_classes!r}, not on "
            f"exactly the classes {np.asarray(classes)!r}."
        )
    scores = np.asarray(head.decision_function(X), dtype=np.float64)
    if scores.ndim == 1:  # a binary head scores head.classes_[1] only
        scores = np.column_stack([-scores, scores]) / 2.0
    return scores[:, columns]


def gaussian_log_likelihood(
    X: np.ndarray, means: np.ndarray, variances: np.ndarray
) -> np.ndarray:
    """Log-densities of diagonal Gaussians, one per class, at every row of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Points.
    means : ndarray of shape (n_classes, n_features)
        Mean of each class.
    variances : ndarray of shape (n_classes, n_features) or (n_features,)
        Per-feature variances of each class, or one vector shared by all
        classes; all > 0.

    Returns
    -------
    log_density : ndarray of shape (n_samples, n_classes)
        :math:`\\log \\mathcal{N}(x; \\mu_c, \\mathrm{diag}(\\sigma_c^2))`.

    Notes
    -----
    The squared Mahalanobis distance is expanded into matrix products,
    :math:`\\sum_j x_j^2 / \\sigma_{cj}^2 - 2 x_j \\mu_{cj} / \\sigma_{cj}^2 +
    \\mu_{cj}^2 / \\sigma_{cj}^2`, so memory is O((n_samples + n_classes) *
    n_features) and no (n_samples, n_classes, n_features) array is formed;
    rows are processed in chunks. Rounding can make the expanded distance
    slightly negative; it is clipped at 0.
    """
    X = np.asarray(X, dtype=np.float64)
    means = np.asarray(means, dtype=np.float64)
    precisions = 1.0 / np.broadcast_to(np.asarray(variances, np.float64), means.shape)
    assert X.shape[1] == means.shape[1], (
        f"X has {X.shape[1]} features, the means {means.shape[1]}"
    )
    weighted_means = means * precisions
    mean_term = np.sum(means * weighted_means, axis=1)
    log_normaliser = means.shape[1] * np.log(2.0 * np.pi) - np.sum(
        np.log(precisions), axis=1
    )
    log_density = np.empty((X.shape[0], means.shape[0]))
    for start in range(0, X.shape[0], _CHUNK_ROWS):
        rows = X[start : start + _CHUNK_ROWS]
        distance = (rows**2) @ precisions.T - 2.0 * rows @ weighted_means.T
        distance += mean_term
        np.maximum(distance, 0.0, out=distance)
        log_density[start : start + _CHUNK_ROWS] = -0.5 * (distance + log_normaliser)
    return log_density
