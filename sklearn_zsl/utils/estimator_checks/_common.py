"""Data and helpers shared by the checks of the zero-shot contract."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import functools
from numbers import Integral
from unittest import SkipTest

import numpy as np
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from sklearn_zsl.datasets import make_zsl_classification
from sklearn_zsl.semantics import ClassSemantics

#: relative tolerance of score comparisons that allow for rounding only
_RTOL = 1e-5


def _zsl_data(n_classes=8, n_unseen=2, n_samples_per_class=10):
    """``X_train, y_train, X, class_semantics``: seen-class samples, then all."""
    X, y, semantics, unseen = make_zsl_classification(
        n_classes=n_classes,
        n_unseen=n_unseen,
        n_samples_per_class=n_samples_per_class,
        n_features=8,
        n_semantics=4,
        random_state=0,
    )
    seen = ~np.isin(y, unseen)
    return X[seen], y[seen], X, semantics


def _rename(mapping, labels):
    """``labels`` with every label ``k`` replaced by ``mapping[k]``."""
    return np.asarray([mapping[label] for label in np.asarray(labels).tolist()])


def _relabel(mapping, y, semantics):
    """``y`` and ``semantics`` with every label ``k`` replaced by ``mapping[k]``."""
    renamed = ClassSemantics(_rename(mapping, semantics.labels), semantics.modalities)
    return _rename(mapping, y), renamed


def _seeded_clone(estimator):
    """A clone whose ``random_state``, if any, is an int: refits are identical."""
    estimator = clone(estimator)
    params = estimator.get_params(deep=False)
    if "random_state" in params and not isinstance(params["random_state"], Integral):
        estimator.set_params(random_state=0)
    return estimator


def _fitted_on_zsl_data(estimator_orig):
    """A seeded clone fitted on :func:`_zsl_data`, and that data."""
    X_train, y_train, X, semantics = _zsl_data()
    estimator = _seeded_clone(estimator_orig)
    estimator.fit(X_train, y_train, class_semantics=semantics)
    return estimator, (X_train, y_train, X, semantics)


def _fitted_attributes(estimator):
    """Public attributes ending in ``_`` that are not constructor parameters."""
    params = estimator.get_params(deep=False)
    return sorted(
        name
        for name in vars(estimator)
        if name.endswith("_") and not name.startswith("_") and name not in params
    )


def _scores(estimator, X):
    scores = np.asarray(estimator.decision_function(X), dtype=np.float64)
    return scores.reshape(-1, 1) if scores.ndim == 1 else scores


def _assert_same_scores(actual, expected, *, err_msg):
    """Scores equal up to rounding (relative to the largest score)."""
    scale = float(np.max(np.abs(expected))) if expected.size else 1.0
    assert_allclose(actual, expected, rtol=_RTOL, atol=_RTOL * scale, err_msg=err_msg)


def _assert_highest_scoring(scores, columns, *, err_msg):
    """``scores[i, columns[i]]`` is the maximum of row ``i``, up to rounding."""
    scale = float(np.max(np.abs(scores))) if scores.size else 1.0
    shortfall = scores.max(axis=1) - scores[np.arange(scores.shape[0]), columns]
    n_wrong = int(np.sum(shortfall > _RTOL * scale))
    assert not n_wrong, f"{err_msg} ({n_wrong} of {scores.shape[0]} samples)"


def _raises(call, *, expected=Exception, err_msg):
    """Return the exception ``call()`` raises; fail with ``err_msg`` if none."""
    try:
        call()
    except expected as exc:
        return exc
    raise AssertionError(err_msg)


def _assert_unfitted(name, estimator, X, *, after):
    """The estimator holds no fitted state and refuses to predict."""
    left = _fitted_attributes(estimator)
    assert not left, (
        f"{name} is half-fitted after {after}: the fitted attributes {left} "
        "remain. A failed fit must leave the estimator unfitted."
    )
    for call in (lambda: check_is_fitted(estimator), lambda: estimator.predict(X)):
        _raises(
            call,
            expected=NotFittedError,
            err_msg=(
                f"{name} still counts as fitted after {after} (no NotFittedError); "
                "a failed fit must leave the estimator unfitted."
            ),
        )


def _zsl_check(check):
    """Make every failure of a check an ``AssertionError`` naming check and estimator.

    A failed assertion keeps its traceback; any other error (the estimator
    crashed) is chained, so that its traceback stays available. A skip is
    passed on as it is.
    """

    @functools.wraps(check)
    def wrapper(name, estimator_orig):
        try:
            check(name, estimator_orig)
        except SkipTest:
            raise
        except AssertionError as exc:
            raise AssertionError(
                f"{check.__name__} failed for {name}: {exc}"
            ).with_traceback(exc.__traceback__) from None
        except Exception as exc:
            raise AssertionError(
                f"{check.__name__} failed for {name}: {type(exc).__name__}: {exc}"
            ) from exc

    return wrapper
