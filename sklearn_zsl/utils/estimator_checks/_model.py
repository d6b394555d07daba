"""Checks of the fitted model: attributes, failed fits, prediction, persistence."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import io
import pickle
import warnings
from unittest import SkipTest

import joblib
import numpy as np
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, clone
from sklearn.utils import get_tags

from sklearn_zsl.semantics import ClassSemantics
from sklearn_zsl.utils.estimator_checks._common import (
    _assert_highest_scoring,
    _assert_same_scores,
    _assert_unfitted,
    _fitted_on_zsl_data,
    _raises,
    _scores,
    _seeded_clone,
    _zsl_check,
    _zsl_data,
)


@_zsl_check
def check_fitted_attributes(name: str, estimator_orig: BaseEstimator) -> None:
    """Check the fitted attributes and the shape of every prediction.

    After ``fit(X, y, class_semantics=S)``: ``fit`` returned the estimator;
    ``classes_`` are the labels of ``S`` (seen and unseen) sorted like
    :func:`numpy.unique`; ``seen_classes_`` are those of ``y`` and
    ``unseen_classes_`` the others; ``class_semantics_`` is a
    :class:`~sklearn_zsl.ClassSemantics` holding the rows of ``S`` in the order
    of ``classes_``; ``n_features_in_`` is set. ``decision_function`` gives
    finite scores of shape (n_samples, n_classes); ``predict`` needs nothing
    but ``X`` and returns a highest-scoring class among all classes;
    ``predict_proba``, where it exists, gives rows that sum to 1.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import check_fitted_attributes
    >>> check_fitted_attributes("ESZSLClassifier", ESZSLClassifier())
    """
    X_train, y_train, X, semantics = _zsl_data()
    estimator = _seeded_clone(estimator_orig)
    fitted = estimator.fit(X_train, y_train, class_semantics=semantics)
    assert fitted is estimator, f"{name}.fit does not return self."
    classes = np.unique(semantics.labels)
    assert_array_equal(
        estimator.classes_,
        classes,
        err_msg=f"{name}.classes_ must be every label of the semantics, sorted.",
    )
    assert_array_equal(
        estimator.seen_classes_,
        np.unique(y_train),
        err_msg=f"{name}.seen_classes_ must be the sorted labels of y.",
    )
    assert_array_equal(
        estimator.unseen_classes_,
        np.setdiff1d(classes, y_train),
        err_msg=f"{name}.unseen_classes_ must be the labels without training samples.",
    )
    stored = estimator.class_semantics_
    assert isinstance(stored, ClassSemantics), (
        f"{name}.class_semantics_ must be a ClassSemantics, got {type(stored)}."
    )
    assert_array_equal(
        stored.labels,
        classes,
        err_msg=f"{name}.class_semantics_ must hold its rows in classes_ order.",
    )
    assert_allclose(
        stored.to_numpy(),
        semantics.select(classes).to_numpy(),
        err_msg=f"{name}.class_semantics_ must hold the semantics given to fit.",
    )
    assert estimator.n_features_in_ == X.shape[1], (
        f"{name}.n_features_in_ is {estimator.n_features_in_}, not {X.shape[1]}."
    )
    scores = estimator.decision_function(X)
    assert scores.shape == (X.shape[0], classes.size), (
        f"{name}.decision_function returned shape {scores.shape}, expected "
        f"(n_samples, n_classes) = {(X.shape[0], classes.size)}."
    )
    assert np.all(np.isfinite(scores)), f"{name} gives non-finite scores."
    y_pred = estimator.predict(X)
    assert y_pred.shape == (X.shape[0],), f"{name}.predict returned {y_pred.shape}."
    assert np.all(np.isin(y_pred, classes)), (
        f"{name}.predict returned labels that are not classes: "
        f"{np.setdiff1d(y_pred, classes)}."
    )
    _assert_highest_scoring(
        scores,
        np.searchsorted(classes, y_pred),
        err_msg=f"{name}.predict is not a highest-scoring class of decision_function",
    )
    if hasattr(estimator, "predict_proba"):
        proba = estimator.predict_proba(X)
        assert proba.shape == scores.shape, (
            f"{name}.predict_proba returned shape {proba.shape}, expected "
            f"{scores.shape}."
        )
        assert np.all(proba >= 0), f"{name}.predict_proba is negative somewhere."
        assert_allclose(
            proba.sum(axis=1), 1.0, err_msg=f"{name}.predict_proba rows must sum to 1."
        )


@_zsl_check
def check_failed_fit_leaves_estimator_unfitted(
    name: str, estimator_orig: BaseEstimator
) -> None:
    """Check that an estimator whose ``fit`` raised is unfitted, never half-fitted.

    ``fit`` is made to fail on a fresh estimator and on a fitted one (a failed
    refit), with a class of ``y`` missing from the semantics and with a NaN in
    ``X``; and, if the estimator rejects them, with semantics identical for
    every class, which no model can tell apart. After each failure the
    estimator has no fitted attribute left and predicting raises
    :class:`~sklearn.exceptions.NotFittedError`.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import (
    ...     check_failed_fit_leaves_estimator_unfitted,
    ... )
    >>> check_failed_fit_leaves_estimator_unfitted(
    ...     "ESZSLClassifier", ESZSLClassifier()
    ... )
    """
    X_train, y_train, X, semantics = _zsl_data()
    partial = semantics.select(np.setdiff1d(semantics.labels, y_train[:1]))
    X_nan = X_train.copy()
    X_nan[0, 0] = np.nan
    failures = {
        "a fit with a class of y missing from the semantics": (X_train, partial),
    }
    if not get_tags(estimator_orig).input_tags.allow_nan:
        failures["a fit on X containing NaN"] = (X_nan, semantics)
    for failure, (X_bad, bad_semantics) in failures.items():
        for start in ("an unfitted", "a fitted"):
            estimator = _seeded_clone(estimator_orig)
            if start == "a fitted":
                estimator.fit(X_train, y_train, class_semantics=semantics)
            _raises(
                lambda e=estimator, X_bad=X_bad, S=bad_semantics: e.fit(
                    X_bad, y_train, class_semantics=S
                ),
                err_msg=f"{name} did not fail {failure}.",
            )
            _assert_unfitted(name, estimator, X, after=f"{failure} on {start} one")
    # A model that cannot tell the classes apart may be rejected late in fit,
    # once fitted attributes exist: if so, none may remain.
    constant = ClassSemantics(semantics.labels, np.ones((semantics.n_classes, 2)))
    estimator = _seeded_clone(estimator_orig)
    estimator.fit(X_train, y_train, class_semantics=semantics)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            estimator.fit(X_train, y_train, class_semantics=constant)
    except Exception:
        _assert_unfitted(
            name, estimator, X, after="a failed fit on semantics equal for every class"
        )


@_zsl_check
def check_predict_candidates(name: str, estimator_orig: BaseEstimator) -> None:
    """Check ``predict(X, candidates=...)``, the prediction among some classes.

    ``candidates=estimator.unseen_classes_`` (conventional zero-shot
    learning) predicts the highest-scoring unseen class; a single candidate
    is predicted everywhere; all classes as candidates is plain ``predict``;
    a list works like an array; an unknown label is a ``ValueError``.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import check_predict_candidates
    >>> check_predict_candidates("ESZSLClassifier", ESZSLClassifier())
    """
    estimator, (X_train, y_train, X, semantics) = _fitted_on_zsl_data(estimator_orig)
    unseen = estimator.unseen_classes_
    columns = np.searchsorted(estimator.classes_, unseen)
    unseen_scores = _scores(estimator, X)[:, columns]
    y_zsl = estimator.predict(X, candidates=unseen)
    assert np.all(np.isin(y_zsl, unseen)), (
        f"{name}.predict(X, candidates=unseen_classes_) predicted the classes "
        f"{np.setdiff1d(y_zsl, unseen)}, which are not candidates."
    )
    _assert_highest_scoring(
        unseen_scores,
        np.searchsorted(unseen, y_zsl),
        err_msg=f"{name}.predict(X, candidates=...) is not a highest-scoring candidate",
    )
    assert_array_equal(
        estimator.predict(X, candidates=unseen.tolist()),
        y_zsl,
        err_msg=f"{name}.predict gives other results with candidates as a list.",
    )
    single = estimator.classes_[:1]
    assert_array_equal(
        estimator.predict(X, candidates=single),
        np.repeat(single, X.shape[0]),
        err_msg=f"{name}.predict(X, candidates=[c]) must predict c everywhere.",
    )
    assert_array_equal(
        estimator.predict(X, candidates=estimator.classes_),
        estimator.predict(X),
        err_msg=f"{name}.predict with every class as candidate differs from predict.",
    )
    unknown = np.append(unseen[:1], semantics.labels.max() + 100)
    exc = _raises(
        lambda: estimator.predict(X, candidates=unknown),
        err_msg=f"{name}.predict accepted a candidate that is not a class.",
    )
    assert isinstance(exc, ValueError), (
        f"{name}.predict with an unknown candidate must raise a ValueError, not "
        f"{type(exc).__name__}: {exc}"
    )


@_zsl_check
def check_seen_penalty_without_refit(name: str, estimator_orig: BaseEstimator) -> None:
    """Check that ``seen_penalty`` set after ``fit`` applies without a refit.

    The estimator is fitted with its own ``seen_penalty`` (a number, or
    ``"auto"`` where fit chooses it). Then a number set on the fitted
    estimator (calibrated stacking) lowers the scores of exactly the seen
    classes by that amount, relative to ``seen_penalty=0``; a huge one sends
    every prediction to an unseen class; setting the fitted value back
    restores the scores; an invalid value (NaN) is a ``ValueError`` at
    prediction.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import (
    ...     check_seen_penalty_without_refit,
    ... )
    >>> check_seen_penalty_without_refit("ESZSLClassifier", ESZSLClassifier())
    """
    assert "seen_penalty" in estimator_orig.get_params(deep=False), (
        f"{name} has no seen_penalty parameter."
    )
    estimator, (X_train, y_train, X, semantics) = _fitted_on_zsl_data(estimator_orig)
    fitted_penalty = estimator.get_params()["seen_penalty"]
    fitted_scores = _scores(estimator, X)
    raw_scores = _scores(estimator.set_params(seen_penalty=0.0), X)
    seen = np.isin(estimator.classes_, estimator.seen_classes_)
    for penalty in (2.5, -1.0):
        estimator.set_params(seen_penalty=penalty)
        _assert_same_scores(
            _scores(estimator, X),
            raw_scores - penalty * seen,
            err_msg=f"{name} with seen_penalty={penalty} set after fit must lower "
            "the scores of exactly the seen classes by that amount.",
        )
    estimator.set_params(seen_penalty=1e9)
    y_pred = estimator.predict(X)
    assert np.all(np.isin(y_pred, estimator.unseen_classes_)), (
        f"{name} with a huge seen_penalty set after fit still predicts seen classes."
    )
    estimator.set_params(seen_penalty=fitted_penalty)
    assert_array_equal(
        _scores(estimator, X),
        fitted_scores,
        err_msg=f"{name} does not give back its scores with seen_penalty set back "
        f"to {fitted_penalty!r}.",
    )
    estimator.set_params(seen_penalty=np.nan)
    exc = _raises(
        lambda: estimator.predict(X),
        err_msg=f"{name}.predict accepted seen_penalty=nan set after fit.",
    )
    assert isinstance(exc, ValueError) and "seen_penalty" in str(exc), (
        f"{name}.predict with seen_penalty=nan must raise a ValueError naming "
        f"seen_penalty, not {type(exc).__name__}: {exc}"
    )


def _outputs(estimator, X):
    """Every prediction of a fitted estimator, by method."""
    outputs = {
        "decision_function": estimator.decision_function(X),
        "predict": estimator.predict(X),
        "predict(candidates=unseen_classes_)": estimator.predict(
            X, candidates=estimator.unseen_classes_
        ),
    }
    if hasattr(estimator, "predict_proba"):
        outputs["predict_proba"] = estimator.predict_proba(X)
    if hasattr(estimator, "sample"):
        outputs["sample"] = estimator.sample(
            estimator.unseen_classes_, 2, random_state=0
        )[0]
    return outputs


@_zsl_check
def check_persistence_round_trip(name: str, estimator_orig: BaseEstimator) -> None:
    """Check that a pickled or joblib-dumped model predicts exactly the same.

    Every prediction method (``decision_function``, ``predict`` with and
    without candidates, ``predict_proba`` and ``sample`` where they exist)
    gives identical results after a :mod:`pickle` and a :mod:`joblib` round
    trip, and the fitted class attributes survive.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import check_persistence_round_trip
    >>> check_persistence_round_trip("ESZSLClassifier", ESZSLClassifier())
    """
    estimator, (X_train, y_train, X, semantics) = _fitted_on_zsl_data(estimator_orig)
    expected = _outputs(estimator, X)
    buffer = io.BytesIO()
    joblib.dump(estimator, buffer)
    buffer.seek(0)
    loaded = {
        "pickle": pickle.loads(pickle.dumps(estimator)),
        "joblib": joblib.load(buffer),
    }
    for library, restored in loaded.items():
        for attribute in ("classes_", "seen_classes_", "unseen_classes_"):
            assert_array_equal(
                getattr(restored, attribute),
                getattr(estimator, attribute),
                err_msg=f"{name}.{attribute} changed in a {library} round trip.",
            )
        for method, value in _outputs(restored, X).items():
            assert_array_equal(
                value,
                expected[method],
                err_msg=f"{name}.{method} changed in a {library} round trip.",
            )


@_zsl_check
def check_fit_is_reproducible(name: str, estimator_orig: BaseEstimator) -> None:
    """Check that an int ``random_state`` gives identical refits and clones.

    Fitting twice, and fitting a clone, with the same data, semantics and int
    ``random_state`` gives the same scores (a ``random_state`` that is not an
    int is replaced by 0). Skipped for estimators tagged
    ``non_deterministic``.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import check_fit_is_reproducible
    >>> check_fit_is_reproducible("ESZSLClassifier", ESZSLClassifier())
    """
    if get_tags(estimator_orig).non_deterministic:
        raise SkipTest(f"{name} is tagged non_deterministic")
    X_train, y_train, X, semantics = _zsl_data()
    estimator = _seeded_clone(estimator_orig)
    first = _scores(estimator.fit(X_train, y_train, class_semantics=semantics), X)
    refits = {
        "a refit": estimator,
        "a clone": clone(estimator),
    }
    for what, other in refits.items():
        other.fit(X_train, y_train, class_semantics=semantics)
        assert_allclose(
            _scores(other, X),
            first,
            rtol=1e-7,
            err_msg=f"{name} with an int random_state gives other scores in {what}.",
        )
