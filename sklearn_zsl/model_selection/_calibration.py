"""Choosing calibrated stacking's seen-class penalty on class-disjoint splits."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils.metadata_routing import _routing_enabled

from sklearn_zsl.metrics._classification import _best_penalty, seen_unseen_curve
from sklearn_zsl.metrics._scorer import _final_estimator
from sklearn_zsl.model_selection._split import GZSLShuffleSplit

__all__ = ["calibrate_seen_penalty", "combine_seen_penalties"]


def combine_seen_penalties(penalties: ArrayLike) -> float:
    """Combine the seen penalties chosen on several validation splits into one.

    The single rule shared by ``seen_penalty="auto"``,
    :func:`calibrate_seen_penalty` and the benchmark command: the median,
    which one split with few held-out classes cannot drag far.

    Parameters
    ----------
    penalties : array-like of shape (n_splits,)
        One penalty per split, e.g. from
        :func:`~sklearn_zsl.metrics.best_seen_penalty`.

    Returns
    -------
    penalty : float
        Their median.

    Examples
    --------
    >>> from sklearn_zsl.model_selection import combine_seen_penalties
    >>> combine_seen_penalties([0.5, 0.75, 3.0])
    0.75
    """
    penalties = np.asarray(penalties, dtype=np.float64).ravel()
    if penalties.size == 0 or not np.all(np.isfinite(penalties)):
        raise ValueError(
            f"penalties must be a non-empty array of finite numbers, got {penalties!r}."
        )
    return float(np.median(penalties))


def _with_zero_penalty(estimator):
    """A clone of ``estimator`` (or of a Pipeline ending in one), penalty 0."""
    model = clone(estimator)
    steps = getattr(model, "steps", None)
    prefix = f"{steps[-1][0]}__" if steps else ""
    params = {f"{prefix}seen_penalty": 0.0}
    return model.set_params(**params)


def calibrate_seen_penalty(
    estimator: BaseEstimator,
    X: ArrayLike,
    y: ArrayLike,
    class_semantics=None,
    *,
    cv=None,
) -> float:
    """Choose the seen-class penalty of calibrated stacking without test data.

    The seen penalty trades seen-class for unseen-class accuracy in
    generalised zero-shot learning (GZSL); it is best chosen where some
    classes play the unseen ones. For each class-disjoint split of the
    training data (some seen classes held out whole, plus a share of the
    samples of the others), a clone of ``estimator`` with ``seen_penalty=0``
    is fitted on the training part and the penalty maximising the harmonic
    mean ``H`` on the validation part is found with
    :func:`~sklearn_zsl.metrics.best_seen_penalty`; the penalties of the
    splits are combined by :func:`combine_seen_penalties`. A split on which no
    penalty gives a positive ``H`` (no held-out class is ever predicted right)
    has no say; if none has, the result is 0.0, with a warning. This is what
    ``seen_penalty="auto"`` runs inside ``fit``.

    Parameters
    ----------
    estimator : estimator object
        A zero-shot classifier, or a Pipeline ending in one; it is cloned, not
        fitted.
    X : array-like of shape (n_samples, n_features)
        Training features.
    y : array-like of shape (n_samples,)
        Training labels (seen classes only).
    class_semantics : ClassSemantics, pandas.DataFrame or dict, default=None
        Semantics of every class, passed to each clone's ``fit``; ``None``
        uses the estimator's constructor parameter.
    cv : int, cross-validation generator or iterable, default=None
        Class-disjoint splits with seen and held-out classes in each
        validation set. ``None``: ``GZSLShuffleSplit(n_splits=3,
        random_state=0)``; an int: that many splits of it.

    Returns
    -------
    seen_penalty : float
        The penalty to set with ``set_params(seen_penalty=...)``.

    See Also
    --------
    sklearn_zsl.metrics.best_seen_penalty : The penalty from scores on
        validation data.
    sklearn_zsl.model_selection.GZSLShuffleSplit : The default splits.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.datasets import make_zsl_classification
    >>> from sklearn_zsl.linear import ESZSLClassifier
    >>> from sklearn_zsl.model_selection import calibrate_seen_penalty
    >>> X, y, semantics, unseen = make_zsl_classification(random_state=1)
    >>> train = ~np.isin(y, unseen)
    >>> gamma = calibrate_seen_penalty(
    ...     ESZSLClassifier(), X[train], y[train], semantics
    ... )
    >>> round(gamma, 3)
    0.015
    >>> clf = ESZSLClassifier(seen_penalty=gamma).fit(
    ...     X[train], y[train], class_semantics=semantics
    ... )
    """
    y = np.asarray(y)
    if cv is None or isinstance(cv, int):
        cv = GZSLShuffleSplit(n_splits=3 if cv is None else cv, random_state=0)
    cv = check_cv(cv, y, classifier=True)
    fit_params = {}
    if class_semantics is not None:
        steps = getattr(estimator, "steps", None)
        # without metadata routing, a Pipeline takes step-prefixed fit params
        prefix = f"{steps[-1][0]}__" if steps and not _routing_enabled() else ""
        fit_params[f"{prefix}class_semantics"] = class_semantics
    penalties = []
    for train, val in cv.split(X, y):
        model = _with_zero_penalty(estimator).fit(
            _safe_indexing(X, train), y[train], **fit_params
        )
        final = _final_estimator(model)
        held_out = np.setdiff1d(y[val], final.seen_classes_)
        if held_out.size == 0:
            raise ValueError(
                "A calibration split holds out no seen class: its validation set "
                "needs samples of classes absent from its training set. Use a "
                "class-disjoint splitter such as GZSLShuffleSplit."
            )
        scores = model.decision_function(_safe_indexing(X, val))
        penalties.append(
            _penalty_on_split(
                y[val],
                scores,
                classes=final.classes_,
                seen_classes=final.seen_classes_,
            )
        )
    return _combine_split_penalties(penalties)


def _penalty_on_split(y_val, scores, *, classes, seen_classes) -> float | None:
    """The best seen penalty on one validation split, or None if it has no say.

    A split on which no penalty gives a positive harmonic mean (no held-out
    class is ever predicted right) says nothing about the penalty.
    """
    curve = seen_unseen_curve(y_val, scores, classes=classes, seen_classes=seen_classes)
    return _best_penalty(*curve)


def _combine_split_penalties(penalties) -> float:
    """Combine ``_penalty_on_split`` results: splits with a say, or 0.0."""
    penalties = [penalty for penalty in penalties if penalty is not None]
    if not penalties:
        warnings.warn(
            "No calibration split gives a positive harmonic mean at any seen "
            "penalty (the held-out classes are never predicted right); using "
            "seen_penalty 0.0.",
            UserWarning,
            stacklevel=2,
        )
        return 0.0
    return combine_seen_penalties(penalties)
