"""Property-based reliability: a valid result or a clear error, whatever the input.

Hypothesis draws the label type (integers, strings, bytes, booleans, mixed
types, ``None`` among them), the shape and scale of the class semantics (from
``1e-200`` to ``1e200``, all zeros, constant columns), the scale of ``X``, and
the values of the parameters and arguments set after ``fit`` (``seen_penalty``
as NaN, infinity, a string or an array; ``candidates`` as a list, a set, a
boolean mask or labels of another type). Every call must either return a
valid result (predictions among ``classes_``, finite scores, probabilities
summing to 1) or raise a ``ValueError`` or ``TypeError`` with a message: never
another exception, never a NaN, never a half-fitted model (issue 13).
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from sklearn_zsl import ClassSemantics, ESZSLClassifier, SAEClassifier
from sklearn_zsl.embedding import DEMClassifier
from sklearn_zsl.metrics import gzsl_scorer, per_class_accuracy_score, zsl_scorer
from sklearn_zsl.utils._test_common import sized_for_tests

# Many examples, each a fit: the deep model is cut down further (two epochs of
# a width-8 network in one batch).
ESTIMATORS = {
    "eszsl": ESZSLClassifier(),
    "sae": SAEClassifier(),
    "sae-visual": SAEClassifier(space="visual"),
    "dem": sized_for_tests(
        DEMClassifier,
        hidden_layer_sizes=(8,),
        max_epochs=2,
        batch_size=-1,
        early_stopping=False,
    ),
}
SCALES = [0.0, 1e-200, 1e-20, 1.0, 1e20, 1e200]
PENALTIES = [0.0, 1.5, -2, np.nan, np.inf, -np.inf, "1", np.array([1.0]), None, True]
LABEL_KINDS = ["int", "str", "bytes", "bool", "float", "mixed", "none"]


def _labels(kind, n_classes):
    """``n_classes`` unique labels of one kind (booleans: at most two)."""
    if kind == "int":
        return [3 * k - 4 for k in range(n_classes)]
    if kind == "float":
        return [0.5 * k for k in range(n_classes)]
    if kind == "str":
        return [f"class {k}" for k in range(n_classes)]
    if kind == "bytes":
        return [f"c{k}".encode() for k in range(n_classes)]
    if kind == "bool":
        return [False, True][:n_classes]
    if kind == "mixed":
        return [k if k % 2 else str(k) for k in range(n_classes)]
    return [None if k == 1 else f"c{k}" for k in range(n_classes)]


@st.composite
def problems(draw):
    """Labels, class-semantics matrix, training data and the seen labels."""
    # usable values half of the time, so that most draws reach prediction
    kind = draw(st.sampled_from(["int", "str"]) | st.sampled_from(LABEL_KINDS))
    n_classes = 2 if kind == "bool" else draw(st.integers(2, 5))
    labels = _labels(kind, n_classes)
    n_seen = draw(st.integers(2, n_classes)) if n_classes > 2 else 2
    n_dims = draw(st.integers(2, 4) | st.just(1))
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    shape = draw(
        st.just("random")
        | st.sampled_from(["random", "zeros", "constant-column", "identical"])
    )
    matrix = rng.rand(n_classes, n_dims)
    if shape == "zeros":
        matrix = np.zeros_like(matrix)
    elif shape == "constant-column":
        matrix[:, 0] = 1.0
    elif shape == "identical":
        matrix[:] = matrix[0]
    matrix = matrix * draw(st.just(1.0) | st.sampled_from(SCALES))
    n_features = draw(st.integers(2, 5) | st.just(1))
    y_ind = np.repeat(np.arange(n_seen), 4)
    X = rng.rand(n_seen, n_features)[y_ind] + 0.1 * rng.randn(y_ind.size, n_features)
    X = X * draw(st.just(1.0) | st.sampled_from(SCALES[1:]))
    y = np.array(labels, dtype=object)[y_ind]
    return labels, matrix, X, y


def _candidate_forms(clf):
    """``candidates`` as a list, a set, a boolean mask, other labels, and None."""
    return [
        None,
        list(clf.classes_[-2:]),
        set(clf.classes_.tolist()),
        np.arange(clf.classes_.size) % 2 == 0,
        [str(label) + "?" for label in clf.classes_.tolist()],
        clf.classes_,
    ]


def _result_or_clear_error(call, stage):
    """Return ``call()``, or None if it raised a ValueError/TypeError with a message.

    Any other exception propagates and fails the test. ``stage`` labels the
    outcome in hypothesis' statistics (``--hypothesis-show-statistics``).
    """
    try:
        result = call()
    except (ValueError, TypeError) as exc:
        assert str(exc).strip(), f"{type(exc).__name__} without a message"
        event(f"{stage}: raised {type(exc).__name__}")
        return None
    event(f"{stage}: returned")
    return result


def _check_predictions(clf, X, candidates):
    y_pred = _result_or_clear_error(
        lambda: clf.predict(X, candidates=candidates), "predict"
    )
    if y_pred is not None:
        assert y_pred.shape == (X.shape[0],)
        assert np.all(np.isin(y_pred, clf.classes_)), y_pred
        if candidates is not None:
            assert np.all(
                np.isin(y_pred, clf.classes_[np.isin(clf.classes_, list(candidates))])
            )
    scores = _result_or_clear_error(lambda: clf.decision_function(X), "scores")
    if scores is not None:
        assert np.all(np.isfinite(scores)), scores
    if hasattr(clf, "predict_proba"):
        proba = _result_or_clear_error(lambda: clf.predict_proba(X), "proba")
        if proba is not None:
            assert np.all(np.isfinite(proba))
            np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("name", list(ESTIMATORS))
@settings(max_examples=30)
@given(problem=problems())
def test_every_call_gives_a_valid_result_or_a_clear_error(name, problem):
    """Check that drawn inputs give a valid result or a ValueError/TypeError.

    Never another exception, never NaN in a prediction or a score, and a
    failed ``fit`` leaves the estimator unfitted. Each fitted model is then
    given every ``seen_penalty`` and ``candidates`` form.
    """
    labels, matrix, X, y = problem
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        semantics = _result_or_clear_error(
            lambda: ClassSemantics(labels, matrix), "semantics"
        )
        if semantics is None:
            return
        clf = clone(ESTIMATORS[name])
        fitted = _result_or_clear_error(
            lambda: clf.fit(X, y, class_semantics=semantics), "fit"
        )
        assert hasattr(clf, "classes_") == (fitted is not None)
        if fitted is None:
            return
        for penalty in PENALTIES:
            clf.set_params(seen_penalty=penalty)
            for candidates in _candidate_forms(clf):
                _check_predictions(clf, X, candidates)
        clf.set_params(seen_penalty=0.0)
        for scorer in (zsl_scorer, gzsl_scorer):
            score = _result_or_clear_error(lambda s=scorer: s(clf, X, y), "scorer")
            if isinstance(score, dict):
                assert all(0 <= v <= 1 for v in score.values() if not np.isnan(v))
            elif score is not None:
                assert 0 <= score <= 1


@settings(max_examples=60)
@given(
    y_true=st.sampled_from(LABEL_KINDS),
    y_pred=st.sampled_from(LABEL_KINDS),
    as_set=st.booleans(),
)
def test_metrics_give_a_valid_score_or_a_clear_error(y_true, y_pred, as_set):
    """Check that labels of any types give a score in [0, 1] or a clear error."""
    true = _labels(y_true, 2) * 2
    pred = _labels(y_pred, 2)[::-1] * 2
    labels = set(true) if as_set else None
    score = _result_or_clear_error(
        lambda: per_class_accuracy_score(true, pred, labels=labels), "metric"
    )
    if score is not None:
        assert 0 <= score <= 1
        assert y_true == y_pred or {y_true, y_pred} <= {"int", "float"}
