"""Tests of the zero-shot estimator contract (ZeroShotClassifierMixin)."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import (
    InvalidParameterError,
    validate_parameter_constraints,
)

from sklearn_zsl import ClassSemantics
from sklearn_zsl.base import SEMANTIC_PARAMETER_CONSTRAINTS, ZeroShotClassifierMixin
from sklearn_zsl.utils.estimator_checks import parametrize_with_zsl_checks


class LeastSquaresZSL(ZeroShotClassifierMixin, ClassifierMixin, BaseEstimator):
    """Test double: least squares from X to the class vector, nearest class."""

    _parameter_constraints = {**SEMANTIC_PARAMETER_CONSTRAINTS}

    def __init__(self, class_semantics=None, *, seen_penalty=0.0, fail=False):
        self.class_semantics = class_semantics
        self.seen_penalty = seen_penalty
        self.fail = fail

    def _fit_model(self, X, y_ind):
        self.coef_ = np.linalg.lstsq(
            X, self.class_semantics_.to_numpy()[y_ind], rcond=None
        )[0]
        if self.fail:
            raise RuntimeError("failure in the middle of fit")

    def _raw_scores(self, X):
        diff = (X @ self.coef_)[:, None, :] - self.class_semantics_.to_numpy()[None]
        return -(diff**2).sum(axis=-1)


@parametrize_with_zsl_checks([LeastSquaresZSL()])
def test_mixin_gives_the_zero_shot_contract(estimator, check):
    """Check that the mixin alone, with two small hooks, passes every zero-shot check.

    The public estimators pass them in tests/test_common.py; this test double
    separates a bug of the mixin from one of an estimator.
    """
    check(estimator)


@pytest.fixture
def zsl_data():
    """Four classes with 2-d semantics; class 3 is unseen."""
    rng = np.random.default_rng(0)
    semantics = ClassSemantics(
        [0, 1, 2, 3], np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    )
    y = np.repeat([0, 1, 2, 3], 10)
    X = semantics.to_numpy()[y] @ np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 2.0]])
    X = X + 0.05 * rng.normal(size=X.shape)
    train = y != 3
    return X[train], y[train], X[~train], y[~train], semantics


def test_unseen_class_predicted(zsl_data):
    """Check that samples of the unseen class are recognised (ZSL and GZSL)."""
    X, y, X_unseen, y_unseen, semantics = zsl_data
    clf = LeastSquaresZSL().fit(X, y, class_semantics=semantics)
    assert_array_equal(clf.predict(X_unseen), y_unseen)
    assert_array_equal(clf.predict(X_unseen, candidates=clf.unseen_classes_), y_unseen)
    assert_array_equal(clf.predict(X), y)


SEMANTIC_FORMS = {
    "ClassSemantics": lambda semantics: semantics,
    "DataFrame": lambda semantics: semantics.to_frame(),
    "dict": lambda semantics: dict(
        zip(semantics.labels.tolist(), semantics.to_numpy(), strict=True)
    ),
    "None": lambda semantics: None,
    "ndarray": lambda semantics: semantics.to_numpy(),
    "list": lambda semantics: semantics.to_numpy().tolist(),
    "tuple": lambda semantics: tuple(map(tuple, semantics.to_numpy())),
    "Series": lambda semantics: pd.Series(list(semantics.to_numpy())),
}


@pytest.mark.parametrize("form", SEMANTIC_FORMS)
def test_class_semantics_constraint_admits_what_fit_accepts(zsl_data, form):
    """Check that the parameter constraint and fit accept the same forms.

    Issue 14: the constraint admitted any array-like, which fit then rejected
    with a TypeError, not the InvalidParameterError of a bad parameter.
    """
    X, y, _, _, semantics = zsl_data
    value = SEMANTIC_FORMS[form](semantics)
    constraints = {"class_semantics": SEMANTIC_PARAMETER_CONSTRAINTS["class_semantics"]}
    try:
        validate_parameter_constraints(
            constraints, {"class_semantics": value}, caller_name="fit"
        )
        admitted = True
    except InvalidParameterError:
        admitted = False
    try:
        LeastSquaresZSL().fit(X, y, class_semantics=value)
        accepted = True
    except TypeError:
        accepted = False
    assert (
        admitted
        == accepted
        == (form in ("ClassSemantics", "DataFrame", "dict", "None"))
    )
    if not admitted:
        err_msg = "The 'class_semantics' parameter of LeastSquaresZSL must be"
        with pytest.raises(InvalidParameterError, match=err_msg):
            LeastSquaresZSL(class_semantics=value).fit(X, y)


def test_one_hot_fallback(zsl_data):
    """Check that without semantics the estimator is a supervised classifier."""
    X, y, _, _, _ = zsl_data
    clf = LeastSquaresZSL().fit(X, y)
    assert_array_equal(clf.classes_, [0, 1, 2])
    assert clf.unseen_classes_.size == 0
    assert_allclose(clf.class_semantics_.to_numpy(), np.eye(3))
    assert clf.class_semantics_.names == ("one_hot",)
    assert (clf.predict(X) == y).mean() > 0.9


def test_string_labels_and_dataframe_input(zsl_data):
    """Check string labels and pandas inputs (feature names are kept)."""
    X, y, X_unseen, _, semantics = zsl_data
    names = np.array(["ant", "bee", "cat", "dog"])
    frame = pd.DataFrame(semantics.to_numpy(), index=names)
    X_frame = pd.DataFrame(X, columns=["f0", "f1", "f2"])
    clf = LeastSquaresZSL().fit(X_frame, names[y], class_semantics=frame)
    assert_array_equal(clf.feature_names_in_, ["f0", "f1", "f2"])
    assert_array_equal(clf.unseen_classes_, ["dog"])
    X_unseen_frame = pd.DataFrame(X_unseen, columns=["f0", "f1", "f2"])
    assert set(clf.predict(X_unseen_frame, candidates=["dog", "cat"])) == {"dog"}


def test_binary_decision_function_is_1d(zsl_data):
    """Check scikit-learn's binary convention: score of classes_[1] - classes_[0]."""
    X, y, _, _, _ = zsl_data
    keep = y < 2
    clf = LeastSquaresZSL().fit(X[keep], y[keep])
    scores = clf.decision_function(X[keep])
    assert scores.shape == (keep.sum(),)
    assert_array_equal(clf.predict(X[keep]), (scores > 0).astype(int))


def test_failure_inside_fit_model_leaves_estimator_unfitted(zsl_data):
    """Check that nothing half-fitted remains when _fit_model raises.

    check_failed_fit_leaves_estimator_unfitted makes fit fail through its
    inputs; this failure comes from the subclass's own fitting code.
    """
    X, y, _, _, semantics = zsl_data
    clf = LeastSquaresZSL(fail=True)
    with pytest.raises(RuntimeError, match="failure in the middle"):
        clf.fit(X, y, class_semantics=semantics)
    assert not [k for k in vars(clf) if k.endswith("_")]
    with pytest.raises(NotFittedError):
        clf.predict(X)
    # a refit that fails in _fit_model also forgets the previous fit
    clf.set_params(fail=False).fit(X, y, class_semantics=semantics)
    with pytest.raises(RuntimeError, match="failure in the middle"):
        clf.set_params(fail=True).fit(X, y, class_semantics=semantics)
    assert not [k for k in vars(clf) if k.endswith("_")]


BAD_CALLS = [
    (
        lambda c, X, y, S: c.fit(X, y, class_semantics={0: [1.0, 0.0]}),
        ValueError,
        r"No class semantics for the classes \[1, 2\]",
    ),
    (
        lambda c, X, y, S: c.fit(X, y, class_semantics=[[1.0], [2.0]]),
        TypeError,
        "carries no class labels",
    ),
    (
        lambda c, X, y, S: c.fit(X[:, 0], y, class_semantics=S),
        ValueError,
        "Expected 2D array, got 1D array",
    ),
    (
        lambda c, X, y, S: c.fit(X, np.zeros_like(y), class_semantics=S),
        ValueError,
        "needs at least 2 seen classes",
    ),
    (
        lambda c, X, y, S: c.fit(np.where(X > 0, np.nan, X), y, class_semantics=S),
        ValueError,
        "NaN",
    ),
    (
        lambda c, X, y, S: c.set_params(seen_penalty=np.inf).fit(X, y),
        ValueError,
        "seen_penalty",
    ),
    (
        lambda c, X, y, S: c.fit(X, y, class_semantics=S).predict(X[:, :2]),
        ValueError,
        "features",
    ),
    (
        lambda c, X, y, S: c.fit(X, y, class_semantics=S).predict(X, candidates=[7]),
        ValueError,
        r"Unknown candidates \[7\]",
    ),
    (
        lambda c, X, y, S: c.fit(X, y, class_semantics=S).predict(X, candidates=[]),
        ValueError,
        "candidates is empty",
    ),
    (
        lambda c, X, y, S: c.fit(X, y, class_semantics=S).predict(X, candidates=3),
        ValueError,
        "candidates must be a 1-D",
    ),
]


@pytest.mark.parametrize(("call", "error", "err_msg"), BAD_CALLS)
def test_bad_calls_raise_clear_errors(zsl_data, call, error, err_msg):
    """Check that each misuse of the contract raises an error naming the problem."""
    X, y, _, _, semantics = zsl_data
    with pytest.raises(error, match=err_msg):
        call(LeastSquaresZSL(), X, y, semantics)
