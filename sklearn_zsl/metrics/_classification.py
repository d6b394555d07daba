"""Metrics for zero-shot and generalised zero-shot classification.

Accuracy in zero-shot learning is the per-class mean of top-1 accuracy (Xian et
al.), so that frequent classes do not dominate. Generalised zero-shot learning
(GZSL) reports it separately on samples of seen and of unseen classes, together
with their harmonic mean, and calibrated stacking (Chao et al.) traces the whole
trade-off between the two as a curve whose area is AUSUC.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils._param_validation import validate_params
from sklearn.utils.validation import check_array

from sklearn_zsl.utils._labels import (
    check_label_types_match,
    check_labels,
)
from sklearn_zsl.utils._labels import format_labels as _format_labels

__all__ = [
    "ausuc_score",
    "best_seen_penalty",
    "gzsl_scores",
    "harmonic_mean_score",
    "per_class_accuracy_score",
    "seen_unseen_curve",
]


def _check_target(y, name):
    """Return ``y`` as a non-empty 1-D array of labels of one type."""
    y = check_labels(y, name=name)
    if y.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D with one label per sample, got an array of shape "
            f"{y.shape}; pass a flat array (e.g. np.ravel({name}))."
        )
    if y.shape[0] == 0:
        raise ValueError(f"{name} is empty; pass at least one sample.")
    return y


def _check_targets(y_true, y_pred):
    y_true = _check_target(y_true, "y_true")
    y_pred = _check_target(y_pred, "y_pred")
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"y_true and y_pred have different lengths ({y_true.shape[0]} and "
            f"{y_pred.shape[0]}); pass one prediction per sample."
        )
    check_label_types_match(y_pred, y_true, name="y_pred", reference_name="y_true")
    return y_true, y_pred


def _check_label_set(labels, name, *, unique=False, y_true=None):
    """Return class labels as a non-empty 1-D array.

    With ``unique=True`` duplicates are an error (the order matters, e.g. for
    score columns); otherwise the labels are deduplicated and sorted. Sets are
    rejected like everywhere else, and the labels must be of the type of
    ``y_true`` when it is given.
    """
    labels = check_labels(labels, name=name)
    if labels.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array-like of class labels, got an array of "
            f"shape {labels.shape}."
        )
    if labels.shape[0] == 0:
        raise ValueError(f"{name} is empty; pass at least one class label.")
    if y_true is not None:
        check_label_types_match(labels, y_true, name=name, reference_name="y_true")
    if not unique:
        return np.unique(labels)
    uniques, counts = np.unique(labels, return_counts=True)
    if np.any(counts > 1):
        raise ValueError(
            f"{name} has duplicate labels {_format_labels(uniques[counts > 1])}; "
            "give each class once."
        )
    return labels


def _equal(a, b):
    """Element-wise ``a == b`` that is all False when the label types differ."""
    return np.broadcast_to(np.asarray(a == b, dtype=bool), a.shape)


def _per_class_accuracy(y_true, y_pred, labels):
    """Mean per-class recall over ``labels``, each present in ``y_true``."""
    mask = np.isin(y_true, labels)
    y_true, y_pred = y_true[mask], y_pred[mask]
    _, y_ind, counts = np.unique(y_true, return_inverse=True, return_counts=True)
    hits = np.bincount(y_ind, weights=_equal(y_true, y_pred), minlength=counts.size)
    return float(np.mean(hits / counts))


def _harmonic_mean(acc_seen, acc_unseen):
    """``2 S U / (S + U)``, 0 where ``S + U == 0`` (works on arrays too)."""
    acc_seen, acc_unseen = np.asarray(acc_seen), np.asarray(acc_unseen)
    total = acc_seen + acc_unseen
    safe_total = np.where(total == 0, 1.0, total)
    return np.where(total == 0, 0.0, 2 * acc_seen * acc_unseen / safe_total)


def _missing_side_error(side):
    other = "unseen" if side == "seen" else "seen"
    article = "a" if side == "seen" else "an"
    return ValueError(
        f"y_true has no sample of {article} {side} class, so acc_{side} and H are "
        f"undefined; evaluate on a test set holding samples of both seen and "
        f"unseen classes, or use per_class_accuracy_score for the {other} "
        "classes alone."
    )


def _gzsl_scores(y_true, y_pred, seen_classes, *, missing="raise"):
    """GZSL accuracies; a side without samples raises or gives NaN."""
    is_seen = np.isin(y_true, seen_classes)
    result = {}
    for side, mask in (("seen", is_seen), ("unseen", ~is_seen)):
        if not np.any(mask):
            if missing == "raise":
                raise _missing_side_error(side)
            result[f"acc_{side}"] = float("nan")
            continue
        labels = np.unique(y_true[mask])
        result[f"acc_{side}"] = _per_class_accuracy(y_true, y_pred, labels)
    result["H"] = float(_harmonic_mean(result["acc_seen"], result["acc_unseen"]))
    return result


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "labels": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def per_class_accuracy_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: ArrayLike | None = None
) -> float:
    """Per-class mean top-1 accuracy.

    The accuracy of each class (the fraction of its samples predicted
    correctly) averaged over the classes, as in Xian et al. On the classes
    present in ``y_true`` it equals
    :func:`~sklearn.metrics.balanced_accuracy_score`, but predictions of classes
    absent from ``y_true`` (routine in generalised zero-shot learning) raise no
    warning.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels; they may include classes absent from ``y_true``.
    labels : array-like of shape (n_labels,), default=None
        Classes to average over; only samples whose true class is among them
        count. Each must have at least one sample in ``y_true``. ``None`` uses
        every class present in ``y_true``.

    Returns
    -------
    score : float
        Mean over the classes of the per-class accuracy, in [0, 1].

    See Also
    --------
    gzsl_scores : Per-class accuracy on seen and unseen classes, and their
        harmonic mean.
    sklearn.metrics.balanced_accuracy_score : The same quantity, warning about
        predicted classes absent from ``y_true``.

    References
    ----------
    .. [1] Y. Xian, C. H. Lampert, B. Schiele and Z. Akata, "Zero-Shot Learning
       - A Comprehensive Evaluation of the Good, the Bad and the Ugly", IEEE
       TPAMI, 2018. https://arxiv.org/abs/1707.00600

    Examples
    --------
    >>> from sklearn_zsl.metrics import per_class_accuracy_score
    >>> y_true = ["cat", "cat", "cat", "dog"]
    >>> y_pred = ["cat", "cat", "zebra", "dog"]
    >>> per_class_accuracy_score(y_true, y_pred)  # (2/3 + 1/1) / 2
    0.833...
    >>> per_class_accuracy_score(y_true, y_pred, labels=["cat"])
    0.666...
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    if labels is None:
        labels = np.unique(y_true)
    else:
        labels = _check_label_set(labels, "labels", y_true=y_true)
        absent = labels[~np.isin(labels, y_true)]
        if absent.size:
            raise ValueError(
                f"labels {_format_labels(absent)} have no sample in y_true, so "
                "their accuracy is undefined; drop them, e.g. "
                "labels=np.intersect1d(labels, y_true)."
            )
    return _per_class_accuracy(y_true, y_pred, labels)


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "seen_classes": ["array-like"],
    },
    prefer_skip_nested_validation=True,
)
def gzsl_scores(
    y_true: ArrayLike, y_pred: ArrayLike, *, seen_classes: ArrayLike
) -> dict[str, float]:
    """Generalised zero-shot scores: seen and unseen accuracy, harmonic mean.

    ``acc_seen`` is the per-class accuracy (see
    :func:`per_class_accuracy_score`) over the samples whose true class is in
    ``seen_classes``, ``acc_unseen`` the same over the other samples, and
    ``H = 2 * acc_seen * acc_unseen / (acc_seen + acc_unseen)``, 0 when both
    are 0. Predictions are taken as given, normally searched over all classes.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, of seen and unseen classes.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    seen_classes : array-like of shape (n_seen_classes,)
        Classes seen in training (e.g. ``clf.seen_classes_``); any other label
        of ``y_true`` is unseen.

    Returns
    -------
    scores : dict
        ``{"acc_seen": float, "acc_unseen": float, "H": float}``, each in
        [0, 1].

    Raises
    ------
    ValueError
        If ``y_true`` has no sample of a seen class or none of an unseen class:
        one of the accuracies, and so ``H``, would be undefined.

    See Also
    --------
    harmonic_mean_score : ``H`` alone.
    sklearn_zsl.metrics.gzsl_scorer : The same scores from a fitted estimator,
        for cross-validation.

    References
    ----------
    .. [1] Y. Xian, C. H. Lampert, B. Schiele and Z. Akata, "Zero-Shot Learning
       - A Comprehensive Evaluation of the Good, the Bad and the Ugly", IEEE
       TPAMI, 2018. https://arxiv.org/abs/1707.00600

    Examples
    --------
    >>> from sklearn_zsl.metrics import gzsl_scores
    >>> y_true = ["cat", "cat", "dog", "zebra", "zebra"]
    >>> y_pred = ["cat", "dog", "dog", "zebra", "cat"]
    >>> scores = gzsl_scores(y_true, y_pred, seen_classes=["cat", "dog"])
    >>> {name: round(value, 4) for name, value in scores.items()}
    {'acc_seen': 0.75, 'acc_unseen': 0.5, 'H': 0.6}
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    seen_classes = _check_label_set(seen_classes, "seen_classes", y_true=y_true)
    return _gzsl_scores(y_true, y_pred, seen_classes)


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "seen_classes": ["array-like"],
    },
    prefer_skip_nested_validation=True,
)
def harmonic_mean_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, seen_classes: ArrayLike
) -> float:
    """Harmonic mean ``H`` of the seen-class and unseen-class accuracies.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, of seen and unseen classes.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    seen_classes : array-like of shape (n_seen_classes,)
        Classes seen in training; any other label of ``y_true`` is unseen.

    Returns
    -------
    score : float
        ``2 * acc_seen * acc_unseen / (acc_seen + acc_unseen)``, 0 when both
        accuracies are 0.

    See Also
    --------
    gzsl_scores : Both accuracies and ``H``, with the exact definitions.

    Examples
    --------
    >>> from sklearn_zsl.metrics import harmonic_mean_score
    >>> y_true = ["cat", "cat", "dog", "zebra", "zebra"]
    >>> y_pred = ["cat", "dog", "dog", "zebra", "cat"]
    >>> harmonic_mean_score(y_true, y_pred, seen_classes=["cat", "dog"])
    0.6...
    """
    return gzsl_scores(y_true, y_pred, seen_classes=seen_classes)["H"]


def _check_curve_inputs(y_true, scores, classes, seen_classes):
    """Validate the inputs of the calibrated-stacking curve."""
    y_true = _check_target(y_true, "y_true")
    classes = _check_label_set(classes, "classes", unique=True, y_true=y_true)
    seen_classes = _check_label_set(seen_classes, "seen_classes", y_true=y_true)
    scores = check_array(scores, ensure_2d=False, dtype=np.float64, input_name="scores")
    if scores.ndim == 1:
        if classes.shape[0] != 2:
            raise ValueError(
                "1-D scores are binary scores (score of classes[1] minus that of "
                f"classes[0]) and need exactly 2 classes, got {classes.shape[0]}; "
                "pass scores of shape (n_samples, n_classes)."
            )
        scores = np.column_stack([np.zeros_like(scores), scores])
    if scores.shape[1] != classes.shape[0]:
        raise ValueError(
            f"scores has {scores.shape[1]} columns but there are "
            f"{classes.shape[0]} classes; give one column per class, in the order "
            "of classes."
        )
    if scores.shape[0] != y_true.shape[0]:
        raise ValueError(
            f"y_true and scores have different numbers of samples "
            f"({y_true.shape[0]} and {scores.shape[0]}); pass one row of scores "
            "per sample."
        )
    for name, labels in (("y_true", np.unique(y_true)), ("seen_classes", seen_classes)):
        unknown = labels[~np.isin(labels, classes)]
        if unknown.size:
            raise ValueError(
                f"{name} has labels {_format_labels(unknown)} that are not in "
                "classes; classes must list every label, in the column order of "
                "scores."
            )
    is_seen_col = np.isin(classes, seen_classes)
    if np.all(is_seen_col):
        raise ValueError(
            "Every class in classes is seen; the seen-unseen curve needs at least "
            "one unseen class."
        )
    is_seen = np.isin(y_true, seen_classes)
    for side, mask in (("seen", is_seen), ("unseen", ~is_seen)):
        if not np.any(mask):
            raise _missing_side_error(side)
    return y_true, scores, classes, is_seen_col


def _seen_unseen_curve(y_true, scores, classes, is_seen_col):
    """Exact calibrated-stacking curve on validated inputs.

    Each sample is predicted as its best seen class while the penalty is below
    its margin (best seen score minus best unseen score), and as its best
    unseen class from the margin on. Sorting the margins therefore gives every
    point of the curve with two cumulative sums.
    """
    seen_cols = np.flatnonzero(is_seen_col)
    unseen_cols = np.flatnonzero(~is_seen_col)
    rows = np.arange(scores.shape[0])
    best_seen = seen_cols[np.argmax(scores[:, seen_cols], axis=1)]
    best_unseen = unseen_cols[np.argmax(scores[:, unseen_cols], axis=1)]
    margin = scores[rows, best_seen] - scores[rows, best_unseen]

    sorter = np.argsort(classes)
    y_ind = sorter[np.searchsorted(classes, y_true, sorter=sorter)]
    true_seen = is_seen_col[y_ind]
    # Per-class mean: each sample weighs 1 / (n_samples of its class * n_classes
    # of its side present in y_true).
    class_counts = np.bincount(y_ind, minlength=classes.shape[0])
    n_seen_present = np.count_nonzero(class_counts[is_seen_col])
    n_unseen_present = np.count_nonzero(class_counts[~is_seen_col])
    side_size = np.where(true_seen, n_seen_present, n_unseen_present)
    weight = 1.0 / (class_counts[y_ind] * side_size)

    gammas, threshold_ind = np.unique(margin, return_inverse=True)
    seen_hit = weight * (true_seen & (best_seen == y_ind))
    unseen_hit = weight * (~true_seen & (best_unseen == y_ind))
    lost_seen = np.bincount(threshold_ind, weights=seen_hit, minlength=gammas.size)
    won_unseen = np.bincount(threshold_ind, weights=unseen_hit, minlength=gammas.size)
    # Summing from the far end makes the last seen accuracy exactly 0.
    acc_seen = np.append(np.cumsum(lost_seen[::-1])[::-1], 0.0)
    acc_unseen = np.insert(np.cumsum(won_unseen), 0, 0.0)
    gammas = np.insert(gammas, 0, -np.inf)
    return gammas, np.clip(acc_seen, 0.0, 1.0), np.clip(acc_unseen, 0.0, 1.0)


_CURVE_CONSTRAINTS = {
    "y_true": ["array-like"],
    "scores": ["array-like"],
    "classes": ["array-like"],
    "seen_classes": ["array-like"],
}


@validate_params(_CURVE_CONSTRAINTS, prefer_skip_nested_validation=True)
def seen_unseen_curve(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    classes: ArrayLike,
    seen_classes: ArrayLike,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seen-unseen accuracy curve of calibrated stacking.

    Calibrated stacking (Chao et al.) predicts
    ``argmax_c scores[:, c] - gamma * [c is seen]``. A sample's prediction
    switches from its best seen class to its best unseen class when ``gamma``
    reaches its margin, the best seen score minus the best unseen score; the
    curve is computed exactly at every distinct margin, from everything
    predicted seen (``gamma = -inf``) to everything predicted unseen.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, with samples of seen and of unseen classes.
    scores : array-like of shape (n_samples, n_classes) or (n_samples,)
        Class scores, higher meaning more likely, columns in the order of
        ``classes`` (e.g. ``clf.decision_function(X)``). A 1-D array is a
        binary score, that of ``classes[1]`` minus that of ``classes[0]``.
    classes : array-like of shape (n_classes,)
        Labels of the score columns (e.g. ``clf.classes_``).
    seen_classes : array-like of shape (n_seen_classes,)
        Seen classes, among ``classes``; at least one class must be unseen.

    Returns
    -------
    gammas : ndarray of shape (n_thresholds + 1,)
        ``-inf`` followed by the sorted distinct margins.
    acc_seen : ndarray of shape (n_thresholds + 1,)
        Per-class accuracy on seen-class samples, non-increasing, ending at 0.
    acc_unseen : ndarray of shape (n_thresholds + 1,)
        Per-class accuracy on unseen-class samples, non-decreasing, starting at
        0.

    See Also
    --------
    ausuc_score : Area under this curve.
    best_seen_penalty : The penalty maximising the harmonic mean on the curve.

    Notes
    -----
    ``acc_seen[k]`` and ``acc_unseen[k]`` are the accuracies when every sample
    whose margin is at most ``gammas[k]`` is predicted as its best unseen class
    and every other sample as its best seen class: the predictions of any
    penalty strictly between ``gammas[k]`` and ``gammas[k + 1]`` (above
    ``gammas[-1]`` for the last point). At a penalty equal to a margin, the
    seen and unseen scores of that sample tie and the prediction depends on
    the column order, which the curve does not follow. Classes tied within
    the seen (or unseen) columns resolve to the first column, like
    :func:`numpy.argmax`. The cost is O(n_samples * n_classes) plus a sort.

    References
    ----------
    .. [1] W.-L. Chao, S. Changpinyo, B. Gong and F. Sha, "An Empirical Study
       and Analysis of Generalized Zero-Shot Learning for Object Recognition in
       the Wild", ECCV, 2016. https://arxiv.org/abs/1605.04253

    Examples
    --------
    >>> from sklearn_zsl.metrics import seen_unseen_curve
    >>> scores = [[3, 0, 1, 0], [0, 4, 1, 0], [2, 0, 0, -1], [1, 0, 2, 0]]
    >>> gammas, acc_seen, acc_unseen = seen_unseen_curve(
    ...     ["a", "b", "c", "d"], scores, classes=["a", "b", "c", "d"],
    ...     seen_classes=["a", "b"])
    >>> gammas
    array([-inf,  -1.,   2.,   3.])
    >>> acc_seen
    array([1. , 1. , 0.5, 0. ])
    >>> acc_unseen
    array([0. , 0. , 0.5, 0.5])
    """
    y_true, scores, classes, is_seen_col = _check_curve_inputs(
        y_true, scores, classes, seen_classes
    )
    return _seen_unseen_curve(y_true, scores, classes, is_seen_col)


def _area(acc_seen, acc_unseen):
    """Trapezoidal area under ``acc_seen`` as a function of ``acc_unseen``."""
    area = np.sum(np.diff(acc_unseen) * (acc_seen[1:] + acc_seen[:-1]) / 2)
    return float(np.clip(area, 0.0, 1.0))


@validate_params(_CURVE_CONSTRAINTS, prefer_skip_nested_validation=True)
def ausuc_score(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    classes: ArrayLike,
    seen_classes: ArrayLike,
) -> float:
    r"""Area Under the Seen-Unseen accuracy Curve (AUSUC).

    The threshold-free GZSL score of Chao et al.: the area under
    :func:`seen_unseen_curve`, with the unseen-class accuracy on the x-axis and
    the seen-class accuracy on the y-axis.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, with samples of seen and of unseen classes.
    scores : array-like of shape (n_samples, n_classes) or (n_samples,)
        Class scores, higher meaning more likely, columns in the order of
        ``classes``; a 1-D array is the score of ``classes[1]`` minus that of
        ``classes[0]``.
    classes : array-like of shape (n_classes,)
        Labels of the score columns.
    seen_classes : array-like of shape (n_seen_classes,)
        Seen classes, among ``classes``; at least one class must be unseen.

    Returns
    -------
    score : float
        The area, in [0, 1]. It does not change when a constant is added to all
        seen-class scores (so it ignores ``seen_penalty``).

    See Also
    --------
    seen_unseen_curve : The curve itself.
    sklearn_zsl.metrics.ausuc_scorer : The same score from a fitted estimator.

    Notes
    -----
    With ``(U_k, S_k)``, ``k = 0..K``, the points of :func:`seen_unseen_curve`
    (``U = acc_unseen``, ``S = acc_seen``) in order of increasing penalty,

    .. math::

        \mathrm{AUSUC} = \sum_{k=1}^{K} (U_k - U_{k-1}) \frac{S_k + S_{k-1}}{2}.

    The curve starts at ``(0, S_0)`` (every sample predicted seen) and ends at
    ``(U_K, 0)`` (every sample predicted unseen): the two points the COSMO
    reference implementation pads its sampled curve with are part of the exact
    curve, so no padding is needed. Samples switching at the same penalty give
    one diagonal segment.

    References
    ----------
    .. [1] W.-L. Chao, S. Changpinyo, B. Gong and F. Sha, "An Empirical Study
       and Analysis of Generalized Zero-Shot Learning for Object Recognition in
       the Wild", ECCV, 2016. https://arxiv.org/abs/1605.04253

    Examples
    --------
    >>> from sklearn_zsl.metrics import ausuc_score
    >>> scores = [[3, 0, 1, 0], [0, 4, 1, 0], [2, 0, 0, -1], [1, 0, 2, 0]]
    >>> ausuc_score(["a", "b", "c", "d"], scores, classes=["a", "b", "c", "d"],
    ...             seen_classes=["a", "b"])  # (0.5 - 0) * (1 + 0.5) / 2
    0.375
    """
    y_true, scores, classes, is_seen_col = _check_curve_inputs(
        y_true, scores, classes, seen_classes
    )
    _, acc_seen, acc_unseen = _seen_unseen_curve(y_true, scores, classes, is_seen_col)
    return _area(acc_seen, acc_unseen)


@validate_params(_CURVE_CONSTRAINTS, prefer_skip_nested_validation=True)
def best_seen_penalty(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    classes: ArrayLike,
    seen_classes: ArrayLike,
) -> float:
    """Seen-class penalty maximising the harmonic mean ``H`` (calibrated stacking).

    Tunes calibrated stacking on validation data without refitting: the
    returned value, subtracted from the seen-class scores, gives the highest
    ``H`` on :func:`seen_unseen_curve`. Use it as
    ``clf.set_params(seen_penalty=gamma)``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True validation labels, with samples of seen and of unseen classes.
    scores : array-like of shape (n_samples, n_classes) or (n_samples,)
        Class scores, columns in the order of ``classes``, computed **without**
        a seen penalty (e.g. ``clf.set_params(seen_penalty=0)`` first), or add
        the penalty in use to the result.
    classes : array-like of shape (n_classes,)
        Labels of the score columns.
    seen_classes : array-like of shape (n_seen_classes,)
        Seen classes, among ``classes``; at least one class must be unseen.

    Returns
    -------
    gamma : float
        The midpoint of the two consecutive margins (see
        :func:`seen_unseen_curve`) between which ``H`` is highest, so that
        ``argmax_c scores[:, c] - gamma * [c is seen]`` reproduces that point
        of the curve without relying on how ties are broken. Among equal ``H``
        the smallest penalty wins. If no penalty gives ``H > 0``, 0.0 (leave
        the scores as they are).

    See Also
    --------
    seen_unseen_curve : The curve searched.
    gzsl_scores : The scores of the predictions the penalty gives.

    Examples
    --------
    >>> from sklearn_zsl.metrics import best_seen_penalty
    >>> scores = [[3, 0, 1, 0], [0, 4, 1, 0], [2, 0, 0, -1], [1, 0, 2, 0]]
    >>> best_seen_penalty(["a", "b", "c", "d"], scores,
    ...                   classes=["a", "b", "c", "d"], seen_classes=["a", "b"])
    2.5
    """
    y_true, scores, classes, is_seen_col = _check_curve_inputs(
        y_true, scores, classes, seen_classes
    )
    penalty = _best_penalty(*_seen_unseen_curve(y_true, scores, classes, is_seen_col))
    return 0.0 if penalty is None else penalty


def _best_penalty(gammas, acc_seen, acc_unseen):
    """The midpoint penalty of the highest ``H`` on a curve; None if ``H`` is 0."""
    h_scores = _harmonic_mean(acc_seen, acc_unseen)
    best = int(np.argmax(h_scores))
    if h_scores[best] == 0:
        return None
    # H is 0 at both ends of the curve (acc_unseen[0] == acc_seen[-1] == 0), so
    # a positive maximum lies strictly inside and has a next threshold.
    return float((gammas[best] + gammas[best + 1]) / 2)
