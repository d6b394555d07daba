"""Tests of the zero-shot estimator contract (ZeroShotClassifierMixin)."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import (
    InvalidParameterError,
    validate_parameter_constraints,
)

from sklearn_zsl import ClassSemantics
from sklearn_zsl.base import SEMANTIC_PARAMETER_CONSTRAINTS, ZeroShotClassifierMixin


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


def test_fitted_attributes(zsl_data):
    """Check classes_, seen_classes_, unseen_classes_ and class_semantics_."""
    X, y, _, _, semantics = zsl_data
    clf = LeastSquaresZSL().fit(X, y, class_semantics=semantics)
    assert_array_equal(clf.classes_, [0, 1, 2, 3])
    assert_array_equal(clf.seen_classes_, [0, 1, 2])
    assert_array_equal(clf.unseen_classes_, [3])
    assert clf.class_semantics_ == semantics
    assert clf.n_features_in_ == 3
    assert clf.decision_function(X).shape == (X.shape[0], 4)


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


def test_fit_argument_wins_over_constructor(zsl_data):
    """Check that semantics given to fit override the constructor parameter."""
    X, y, _, _, semantics = zsl_data
    other = ClassSemantics([0, 1, 2, 9], np.eye(4))
    clf = LeastSquaresZSL(class_semantics=other).fit(X, y, class_semantics=semantics)
    assert_array_equal(clf.classes_, [0, 1, 2, 3])
    clf = LeastSquaresZSL(class_semantics=other).fit(X, y)
    assert_array_equal(clf.classes_, [0, 1, 2, 9])
    assert clf.class_semantics is other


def test_semantics_sorted_like_unique(zsl_data):
    """Check that classes_ is sorted whatever the order of the semantics."""
    X, y, _, _, semantics = zsl_data
    frame = semantics.to_frame().iloc[::-1]
    clf = LeastSquaresZSL().fit(X, y, class_semantics=frame)
    assert_array_equal(clf.classes_, [0, 1, 2, 3])
    assert_allclose(clf.class_semantics_.to_numpy(), semantics.to_numpy())


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


def test_seen_penalty_shifts_seen_scores(zsl_data):
    """Check calibrated stacking: seen scores lowered by exactly seen_penalty."""
    X, y, X_unseen, _, semantics = zsl_data
    clf = LeastSquaresZSL().fit(X, y, class_semantics=semantics)
    raw = clf.decision_function(X_unseen)
    clf.set_params(seen_penalty=2.5)
    shifted = clf.decision_function(X_unseen)
    assert_allclose(shifted, raw - 2.5 * np.array([1, 1, 1, 0]))
    # a huge penalty sends every prediction to the unseen class, without refitting
    clf.set_params(seen_penalty=1e6)
    assert_array_equal(clf.predict(X), np.full(X.shape[0], 3))


def test_binary_decision_function_is_1d(zsl_data):
    """Check scikit-learn's binary convention: score of classes_[1] - classes_[0]."""
    X, y, _, _, _ = zsl_data
    keep = y < 2
    clf = LeastSquaresZSL().fit(X[keep], y[keep])
    scores = clf.decision_function(X[keep])
    assert scores.shape == (keep.sum(),)
    assert_array_equal(clf.predict(X[keep]), (scores > 0).astype(int))


def test_failed_fit_leaves_estimator_unfitted(zsl_data):
    """Check that nothing half-fitted remains when fit raises."""
    X, y, _, _, semantics = zsl_data
    clf = LeastSquaresZSL(fail=True)
    with pytest.raises(RuntimeError, match="failure in the middle"):
        clf.fit(X, y, class_semantics=semantics)
    assert not [k for k in vars(clf) if k.endswith("_")]
    with pytest.raises(NotFittedError):
        clf.predict(X)
    # a refit that fails also forgets the previous fit
    clf.set_params(fail=False).fit(X, y, class_semantics=semantics)
    with pytest.raises(ValueError, match="No class semantics"):
        clf.fit(X, y, class_semantics={0: [1.0, 0.0]})
    assert not hasattr(clf, "classes_")


def test_metadata_request_defaults_to_true():
    """Check that fit requests class_semantics without set_fit_request."""
    routing = LeastSquaresZSL().get_metadata_routing()
    assert routing.fit.requests["class_semantics"] is True
    assert (
        "class_semantics"
        in clone(LeastSquaresZSL()).get_metadata_routing().fit.requests
    )


def test_semantics_intact_when_classes_equal_samples():
    """Check that a table with as many classes as samples is not sliced by CV.

    scikit-learn slices fit parameters with n_samples rows (#15805, #30739).
    """
    from sklearn.model_selection import KFold, cross_validate

    n = 12
    semantics = ClassSemantics(np.arange(n), np.eye(n))
    X = np.eye(n)
    y = np.arange(n)
    seen = []

    class Recorder(LeastSquaresZSL):
        def _fit_model(self, X, y_ind):
            seen.append(self.class_semantics_.n_classes)
            super()._fit_model(X, y_ind)

    cross_validate(Recorder(), X, y, cv=KFold(3), params={"class_semantics": semantics})
    assert seen == [n, n, n]


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
