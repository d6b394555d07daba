"""Scorers for model selection in zero-shot and generalised zero-shot learning.

A scorer needs the seen classes of the model it scores, which change from one
class-disjoint fold to the next, so it cannot be built by
:func:`~sklearn.metrics.make_scorer` (the score function never sees the
estimator). Each scorer here is a small callable ``scorer(estimator, X, y_true)``
reading ``classes_`` and ``seen_classes_`` off the fitted estimator, or off the
last step of a :class:`~sklearn.pipeline.Pipeline`, and can be given as
``scoring=`` to :class:`~sklearn.model_selection.GridSearchCV` or
:func:`~sklearn.model_selection.cross_validate`.

All of them first check ``y_true`` alike: its labels must be of the type of
the estimator's ``classes_`` and each one of them; a label the estimator does
not know raises the same ``ValueError`` in every scorer, rather than counting
as a wrong prediction.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import inspect
import warnings

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.utils.validation import check_is_fitted

from sklearn_zsl.metrics._classification import (
    _area,
    _check_curve_inputs,
    _check_target,
    _check_targets,
    _gzsl_scores,
    _per_class_accuracy,
    _seen_unseen_curve,
)
from sklearn_zsl.utils._docstring import Substitution
from sklearn_zsl.utils._labels import check_label_types_match
from sklearn_zsl.utils._labels import format_labels as _format_labels

__all__ = [
    "AUSUCScorer",
    "GZSLScorer",
    "ZSLScorer",
    "ausuc_scorer",
    "gzsl_scorer",
    "zsl_scorer",
]

# Shared by the Examples sections: a toy zero-shot classifier whose class
# scores are its input features, so the scores are visible in ``X_test``.
_EXAMPLE_SETUP = """\
    >>> import numpy as np
    >>> from sklearn.base import BaseEstimator, ClassifierMixin
    >>> from sklearn_zsl.base import (
    ...     SEMANTIC_PARAMETER_CONSTRAINTS, ZeroShotClassifierMixin)
    >>> class ScoresAsFeatures(
    ...     ZeroShotClassifierMixin, ClassifierMixin, BaseEstimator
    ... ):
    ...     _parameter_constraints = {**SEMANTIC_PARAMETER_CONSTRAINTS}
    ...     def __init__(self, class_semantics=None, seen_penalty=0.0):
    ...         self.class_semantics = class_semantics
    ...         self.seen_penalty = seen_penalty
    ...     def _fit_model(self, X, y_ind):
    ...         pass
    ...     def _raw_scores(self, X):
    ...         return X
    >>> semantics = {"cat": [1, 0], "dog": [0, 1], "yak": [1, 1], "zebra": [2, 1]}
    >>> clf = ScoresAsFeatures(semantics).fit(np.eye(4)[:2], ["cat", "dog"])
    >>> clf.seen_classes_.tolist(), clf.unseen_classes_.tolist()
    (['cat', 'dog'], ['yak', 'zebra'])
    >>> # columns: scores of cat, dog, yak, zebra
    >>> X_test = np.array([[3, 1, 0, 2], [2, 1, 0, 0], [1, 0, 3, 2], [4, 0, 3, 1]])
    >>> y_test = ["cat", "dog", "yak", "zebra"]"""


_with_example_setup = Substitution(example_setup=_EXAMPLE_SETUP)


def _final_estimator(estimator):
    """The last step of a (possibly nested) Pipeline, else the estimator."""
    while hasattr(estimator, "steps"):
        estimator = estimator.steps[-1][1]
    return estimator


def _fitted_classes(estimator, scorer):
    """``classes_`` and ``seen_classes_`` of the fitted zero-shot classifier."""
    final = _final_estimator(estimator)
    if not (hasattr(final, "classes_") and hasattr(final, "seen_classes_")):
        if hasattr(final, "fit"):
            check_is_fitted(final)
        raise TypeError(
            f"{scorer!r} needs a fitted zero-shot classifier exposing classes_ and "
            "seen_classes_ (or a Pipeline ending in one); got "
            f"{type(final).__name__}."
        )
    return np.asarray(final.classes_), np.asarray(final.seen_classes_)


def _check_known_target(y_true, classes):
    """``y_true`` as labels, each one of the estimator's ``classes_``.

    Every scorer checks this first, so that all of them reject a test label
    the model cannot predict, rather than count it as a wrong prediction.
    """
    y_true = _check_target(y_true, "y_true")
    check_label_types_match(
        y_true, classes, name="y_true", reference_name="the estimator's classes_"
    )
    unknown = np.setdiff1d(y_true, classes)
    if unknown.size:
        raise ValueError(
            f"y_true has classes {_format_labels(unknown)} unknown to the "
            "estimator; fit it with class semantics for every test class."
        )
    return y_true


def _class_scores(estimator, X, classes):
    """Scores of shape (n_samples, n_classes), or None without a score method.

    ``decision_function`` is preferred, then ``predict_proba``; a 1-D binary
    decision becomes the columns ``[0, s]``, which rank the classes alike.
    """
    for method in ("decision_function", "predict_proba"):
        if hasattr(estimator, method):
            scores = np.asarray(getattr(estimator, method)(X), dtype=np.float64)
            break
    else:
        return None
    if scores.ndim == 1:
        scores = np.column_stack([np.zeros_like(scores), scores])
    if scores.ndim != 2 or scores.shape[1] != classes.shape[0]:
        raise ValueError(
            f"{method} returned scores of shape {scores.shape}, but the estimator "
            f"has {classes.shape[0]} classes_; its columns must follow classes_."
        )
    return scores


class _SeenClassesScorer:
    """Base of the scorers reading the seen classes off the estimator."""

    def __repr__(self):
        return f"{type(self).__name__}()"


@_with_example_setup
class ZSLScorer(_SeenClassesScorer):
    """Zero-shot accuracy: per-class top-1 among the unseen classes present.

    Calling ``scorer(estimator, X, y_true)`` keeps the samples of ``y_true``
    whose class is not in the estimator's ``seen_classes_``, predicts each as
    the highest-scoring class among the unseen classes present in ``y_true``
    (the conventional ZSL search space) and returns their
    :func:`~sklearn_zsl.metrics.per_class_accuracy_score`. Samples of seen
    classes are ignored.

    The scores come from ``decision_function`` (or ``predict_proba``) with the
    seen columns masked, which works through a Pipeline whatever the
    metadata-routing setting; an estimator with neither method is asked for
    ``predict(X, candidates=...)``. ``seen_penalty`` does not affect the score.

    Use the instance :data:`zsl_scorer`.

    See Also
    --------
    GZSLScorer : Seen, unseen and harmonic-mean accuracy over all classes.
    sklearn_zsl.metrics.per_class_accuracy_score : The metric on predictions.

    Examples
    --------
    %(example_setup)s
    >>> from sklearn_zsl.metrics import zsl_scorer
    >>> zsl_scorer
    ZSLScorer()
    >>> zsl_scorer(clf, X_test, y_test)  # yak: 1/1, zebra (predicted yak): 0/1
    0.5
    """

    def __call__(
        self, estimator: BaseEstimator, X: ArrayLike, y_true: ArrayLike
    ) -> float:
        """Score ``estimator`` on ``X`` against ``y_true``.

        Parameters
        ----------
        estimator : object
            Fitted zero-shot classifier, or a Pipeline ending in one.
        X : array-like of shape (n_samples, n_features)
            Test features.
        y_true : array-like of shape (n_samples,)
            True labels; at least one must be of an unseen class.

        Returns
        -------
        score : float
            Per-class accuracy over the unseen-class samples, in [0, 1]; NaN,
            with an :class:`~sklearn.exceptions.UndefinedMetricWarning`, when
            they are of one class (any model scores 1.0 there).
        """
        classes, seen_classes = _fitted_classes(estimator, self)
        y_true = _check_known_target(y_true, classes)
        is_unseen = ~np.isin(y_true, seen_classes)
        if not np.any(is_unseen):
            raise ValueError(
                "y_true has no sample of an unseen class, so zero-shot accuracy is "
                "undefined; score on a class-disjoint test set (e.g. from a "
                "sklearn_zsl.model_selection splitter)."
            )
        candidates = np.unique(y_true[is_unseen])
        if candidates.size == 1:
            warnings.warn(
                f"y_true holds a single unseen class {_format_labels(candidates)}: "
                "zero-shot accuracy among the classes present would be 1.0 for any "
                "model, so it is NaN. Score on folds with at least 2 unseen "
                "classes (e.g. ZSLKFold with fewer splits).",
                UndefinedMetricWarning,
                stacklevel=2,
            )
            return float("nan")
        y_pred = self._predict_among(estimator, X, classes, candidates)
        y_true, y_pred = _check_targets(y_true, y_pred)
        return _per_class_accuracy(y_true, y_pred, candidates)

    def _predict_among(self, estimator, X, classes, candidates):
        scores = _class_scores(estimator, X, classes)
        if scores is not None:
            scores = np.where(np.isin(classes, candidates), scores, -np.inf)
            return classes[np.argmax(scores, axis=1)]
        final = _final_estimator(estimator)
        if "candidates" not in inspect.signature(final.predict).parameters:
            raise TypeError(
                f"{self!r} needs decision_function, predict_proba or "
                f"predict(X, candidates=...); {type(final).__name__} has none."
            )
        return np.asarray(estimator.predict(X, candidates=candidates))


@_with_example_setup
class GZSLScorer(_SeenClassesScorer):
    """Generalised zero-shot scores: seen, unseen and harmonic-mean accuracy.

    Calling ``scorer(estimator, X, y_true)`` predicts with ``estimator.predict``
    (all classes are candidates, ``seen_penalty`` applied) and returns
    ``{"acc_seen", "acc_unseen", "H"}`` as
    :func:`~sklearn_zsl.metrics.gzsl_scores` does, the seen classes being the
    estimator's ``seen_classes_``. Give it as
    ``GridSearchCV(scoring=gzsl_scorer, refit="H")``.

    A test fold without seen-class samples (a pure zero-shot fold) or without
    unseen-class samples does not raise, unlike
    :func:`~sklearn_zsl.metrics.gzsl_scores`: the accuracy of the missing side
    and ``H`` are NaN, while the other accuracy is still computed. NaN rather
    than 0 because nothing was measured: a 0 would rank such folds as failures
    and silently pull the mean ``H`` down. Cross-validation then still
    reports the accuracy that exists (``refit="acc_unseen"`` works on pure
    zero-shot folds), and scikit-learn warns that ``H`` is not finite, the hint
    to use a generalised splitter that holds out seen-class samples too.

    Use the instance :data:`gzsl_scorer`.

    See Also
    --------
    ZSLScorer : Accuracy among the unseen classes only.
    AUSUCScorer : Area under the seen-unseen curve, free of ``seen_penalty``.

    Examples
    --------
    %(example_setup)s
    >>> from sklearn_zsl.metrics import gzsl_scorer
    >>> clf.predict(X_test)
    array(['cat', 'cat', 'yak', 'cat'], dtype='<U5')
    >>> gzsl_scorer(clf, X_test, y_test)  # S = (1 + 0) / 2, U = (1 + 0) / 2
    {'acc_seen': 0.5, 'acc_unseen': 0.5, 'H': 0.5}
    >>> gzsl_scorer(clf, X_test[2:], y_test[2:])  # no seen-class sample
    {'acc_seen': nan, 'acc_unseen': 0.5, 'H': nan}
    """

    def __call__(
        self, estimator: BaseEstimator, X: ArrayLike, y_true: ArrayLike
    ) -> dict[str, float]:
        """Score ``estimator`` on ``X`` against ``y_true``.

        Parameters
        ----------
        estimator : object
            Fitted zero-shot classifier, or a Pipeline ending in one.
        X : array-like of shape (n_samples, n_features)
            Test features.
        y_true : array-like of shape (n_samples,)
            True labels, of seen and unseen classes.

        Returns
        -------
        scores : dict
            ``{"acc_seen": float, "acc_unseen": float, "H": float}``; NaN for
            the accuracy of a side without samples, and then for ``H``.
        """
        classes, seen_classes = _fitted_classes(estimator, self)
        y_true = _check_known_target(y_true, classes)
        y_true, y_pred = _check_targets(y_true, estimator.predict(X))
        return _gzsl_scores(y_true, y_pred, seen_classes, missing="nan")


@_with_example_setup
class AUSUCScorer(_SeenClassesScorer):
    """Area under the seen-unseen accuracy curve of a fitted estimator.

    Calling ``scorer(estimator, X, y_true)`` computes
    :func:`~sklearn_zsl.metrics.ausuc_score` from ``estimator.decision_function``
    (or ``predict_proba``), with the estimator's ``classes_`` and
    ``seen_classes_``. The area does not depend on ``seen_penalty``.

    Like :class:`GZSLScorer`, it returns NaN when the test fold has no sample
    of a seen class or none of an unseen class (the curve needs both), so that
    cross-validation over pure zero-shot folds does not fail.

    Use the instance :data:`ausuc_scorer`.

    See Also
    --------
    GZSLScorer : Accuracies at the estimator's own ``seen_penalty``.
    sklearn_zsl.metrics.seen_unseen_curve : The curve.

    Examples
    --------
    %(example_setup)s
    >>> from sklearn_zsl.metrics import ausuc_scorer
    >>> ausuc_scorer(clf, X_test, y_test)  # curve (0, .5) (.5, .5) (.5, 0)
    0.25
    """

    def __call__(
        self, estimator: BaseEstimator, X: ArrayLike, y_true: ArrayLike
    ) -> float:
        """Score ``estimator`` on ``X`` against ``y_true``.

        Parameters
        ----------
        estimator : object
            Fitted zero-shot classifier with ``decision_function`` or
            ``predict_proba``, or a Pipeline ending in one.
        X : array-like of shape (n_samples, n_features)
            Test features.
        y_true : array-like of shape (n_samples,)
            True labels, of seen and unseen classes.

        Returns
        -------
        score : float
            AUSUC in [0, 1], or NaN if ``y_true`` lacks seen-class or
            unseen-class samples.
        """
        classes, seen_classes = _fitted_classes(estimator, self)
        y_true = _check_known_target(y_true, classes)
        is_seen = np.isin(y_true, seen_classes)
        if np.all(is_seen) or not np.any(is_seen):
            return float("nan")
        scores = _class_scores(estimator, X, classes)
        if scores is None:
            raise TypeError(
                f"{self!r} needs decision_function or predict_proba; "
                f"{type(_final_estimator(estimator)).__name__} has neither."
            )
        y_true, scores, classes, is_seen_col = _check_curve_inputs(
            y_true, scores, classes, seen_classes
        )
        _, acc_seen, acc_unseen = _seen_unseen_curve(
            y_true, scores, classes, is_seen_col
        )
        return _area(acc_seen, acc_unseen)


#: Zero-shot accuracy scorer, an instance of :class:`ZSLScorer`.
zsl_scorer = ZSLScorer()
#: Generalised zero-shot scorer returning a dict, an instance of
#: :class:`GZSLScorer`.
gzsl_scorer = GZSLScorer()
#: AUSUC scorer, an instance of :class:`AUSUCScorer`.
ausuc_scorer = AUSUCScorer()
