"""Tests of ESZSLClassifier against an independent NumPy closed form."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from numpydoc.docscrape import ClassDoc
from sklearn.linear_model import RidgeClassifier

from sklearn_zsl import ClassSemantics
from sklearn_zsl.linear import ESZSLClassifier

# Four classes; "bee" has no training sample and sorts between seen classes, so
# a mix-up of seen-class and all-class column indices cannot go unnoticed.
LABELS = np.array(["ant", "bee", "cat", "dog"])
SEEN = np.array(["ant", "cat", "dog"])


def _tiny_problem(n_features=5, n_dims=3, seed=0):
    """12 samples of the 3 seen classes and semantics of all 4 classes."""
    rng = np.random.RandomState(seed)
    X = rng.randn(12, n_features)
    y = np.tile(SEEN, 4)
    semantics = ClassSemantics(LABELS, rng.rand(4, n_dims))
    return X, y, semantics


def _eszsl_closed_form(X, y, semantics, alpha, beta, off_target=-1.0):
    """V of the paper with explicit inverses, in the row-per-sample convention."""
    S_all = semantics.to_numpy()
    S = S_all[np.isin(LABELS, SEEN)]
    Y = np.where(y[:, None] == SEEN[None, :], 1.0, off_target)
    n_features, n_dims = X.shape[1], S.shape[1]
    V = (
        np.linalg.inv(X.T @ X + alpha * np.eye(n_features))
        @ X.T
        @ Y
        @ S
        @ np.linalg.inv(S.T @ S + beta * np.eye(n_dims))
    )
    return V, X @ V @ S_all.T


def _learning_problem(seed=0):
    """20 classes with 10 attributes in [0, 1], 15 seen and 5 unseen.

    Features are a fixed random linear map of the class attributes plus
    Gaussian noise, 20 samples per class.
    """
    rng = np.random.RandomState(seed)
    attributes = rng.rand(20, 10)
    y = np.repeat(np.arange(20), 20)
    X = attributes[y] @ rng.randn(10, 20) + 0.3 * rng.randn(y.size, 20)
    seen = y < 15
    semantics = ClassSemantics(np.arange(20), attributes)
    return X[seen], y[seen], X[~seen], y[~seen], semantics


@pytest.mark.parametrize(
    "n_features, n_dims",
    [
        (5, 2),  # both Gram systems in the primal form
        (20, 2),  # more features than samples: push-through on the feature side
        (5, 6),  # more semantic dims than seen classes: push-through on semantics
        (20, 6),  # both push-through forms
    ],
)
@pytest.mark.parametrize("alpha, beta", [(1.0, 1.0), (0.1, 3.0)])
@pytest.mark.parametrize(
    "target_coding, off_target", [("plus_minus", -1.0), ("zero_one", 0.0)]
)
def test_coef_and_scores_match_closed_form(
    n_features, n_dims, alpha, beta, target_coding, off_target
):
    """Check coef_ and decision_function against the paper's formula."""
    X, y, semantics = _tiny_problem(n_features=n_features, n_dims=n_dims)
    clf = ESZSLClassifier(alpha=alpha, beta=beta, target_coding=target_coding)
    clf.fit(X, y, class_semantics=semantics)
    V, expected_scores = _eszsl_closed_form(X, y, semantics, alpha, beta, off_target)

    assert clf.coef_.shape == (n_dims, n_features)
    assert_allclose(clf.coef_, V.T, rtol=1e-9, atol=1e-12)
    assert_allclose(clf.decision_function(X), expected_scores, rtol=1e-9, atol=1e-12)
    assert_array_equal(clf.classes_, LABELS)
    assert_array_equal(clf.seen_classes_, SEEN)
    assert_array_equal(clf.unseen_classes_, ["bee"])


def test_auto_regularisation_is_mean_gram_eigenvalue():
    """Check that "auto" uses the mean eigenvalue of each Gram matrix."""
    X, y, semantics = _tiny_problem(n_features=4, n_dims=3)
    S_seen = semantics.to_numpy()[np.isin(LABELS, SEEN)]
    alpha = np.linalg.eigvalsh(X.T @ X).mean()
    beta = np.linalg.eigvalsh(S_seen.T @ S_seen).mean()
    auto = ESZSLClassifier().fit(X, y, class_semantics=semantics)
    explicit = ESZSLClassifier(alpha=alpha, beta=beta).fit(
        X, y, class_semantics=semantics
    )
    assert_allclose(auto.coef_, explicit.coef_, rtol=1e-10)
    # "auto" makes the model invariant to the scale of X (scores scale as 1/c)
    scaled = ESZSLClassifier().fit(10.0 * X, y, class_semantics=semantics)
    assert_allclose(scaled.decision_function(10.0 * X), auto.decision_function(X))


def test_one_hot_fallback_is_ridge_classifier():
    """Check that without semantics ESZSL is a scaled ridge classifier.

    With one-hot semantics S = I, V = (X'X + alpha I)^-1 X'Y / (1 + beta):
    the decision function of RidgeClassifier without intercept, which also
    encodes the labels as +1 / -1, divided by 1 + beta.
    """
    rng = np.random.RandomState(1)
    X = rng.randn(30, 4)
    y = np.repeat([0, 1, 2], 10)
    alpha, beta = 0.7, 2.0
    clf = ESZSLClassifier(alpha=alpha, beta=beta, target_coding="plus_minus")
    clf.fit(X, y)
    ridge = RidgeClassifier(alpha=alpha, fit_intercept=False, solver="cholesky")
    ridge.fit(X, y)
    assert_allclose(
        clf.decision_function(X), ridge.decision_function(X) / (1 + beta), rtol=1e-8
    )
    assert_array_equal(clf.predict(X), ridge.predict(X))


def test_float32_input_matches_float64():
    """Check that float32 features are fitted in float64 precision."""
    X, y, semantics = _tiny_problem()
    clf64 = ESZSLClassifier().fit(X, y, class_semantics=semantics)
    X32 = X.astype(np.float32)
    clf32 = ESZSLClassifier().fit(X32, y, class_semantics=semantics)
    assert clf32.coef_.dtype == np.float64
    assert_allclose(clf32.coef_, clf64.coef_, rtol=1e-5)


def test_learns_unseen_classes():
    """Check zero-shot accuracy far above chance on a linear generative problem.

    Chance is 1 / 5 = 0.2 among the 5 unseen classes. Over 20 random draws of
    this problem ESZSL with default parameters reaches a median of 0.80 and a
    10th percentile of 0.60 (this nearly noise-free linear problem prefers less
    regularisation than the default); the threshold 0.5 is 2.5 times chance.
    """
    X, y, X_unseen, y_unseen, semantics = _learning_problem()
    clf = ESZSLClassifier().fit(X, y, class_semantics=semantics)
    assert_array_equal(clf.unseen_classes_, np.arange(15, 20))
    y_pred = clf.predict(X_unseen, candidates=clf.unseen_classes_)
    accuracy = np.mean(y_pred == y_unseen)
    assert accuracy >= 0.5, accuracy
    # Swapping the semantics of the unseen classes must destroy the transfer,
    # so the accuracy above comes from the semantics, not from the features.
    attributes = semantics.to_numpy().copy()
    attributes[15:] = attributes[[16, 17, 18, 19, 15]]
    shuffled = ClassSemantics(np.arange(20), attributes)
    clf_shuffled = ESZSLClassifier().fit(X, y, class_semantics=shuffled)
    y_pred = clf_shuffled.predict(X_unseen, candidates=clf.unseen_classes_)
    assert np.mean(y_pred == y_unseen) < 0.3


@pytest.mark.parametrize("name", ["alpha", "beta"])
def test_regularisation_shrinks_coef(name):
    """Check that a larger alpha or beta gives a strictly smaller coef_ norm."""
    X, y, semantics = _tiny_problem()
    norms = [
        np.linalg.norm(
            ESZSLClassifier(**{name: value}).fit(X, y, class_semantics=semantics).coef_
        )
        for value in [1e-2, 1.0, 1e2, 1e4]
    ]
    assert np.all(np.diff(norms) < 0), norms


@pytest.mark.parametrize(
    "params, err_msg",
    [
        ({"alpha": -1.0}, "The 'alpha' parameter of ESZSLClassifier must be"),
        ({"alpha": 0.0}, "The 'alpha' parameter of ESZSLClassifier must be"),
        ({"beta": -0.5}, "The 'beta' parameter of ESZSLClassifier must be"),
        ({"beta": "big"}, "The 'beta' parameter of ESZSLClassifier must be"),
        ({"target_coding": "pm"}, "The 'target_coding' parameter of ESZSLClassifier"),
    ],
)
def test_invalid_parameters_raise(params, err_msg):
    """Check that out-of-range regularisation strengths are rejected by fit."""
    X, y, semantics = _tiny_problem()
    clf = ESZSLClassifier(**params)
    with pytest.raises(ValueError, match=re.escape(err_msg)):
        clf.fit(X, y, class_semantics=semantics)


def test_fitted_attributes_are_documented():
    """Check that every fitted attribute exists and is in the docstring."""
    X, y, semantics = _tiny_problem()
    columns = [f"f{i}" for i in range(X.shape[1])]
    clf = ESZSLClassifier().fit(
        pd.DataFrame(X, columns=columns), y, class_semantics=semantics
    )
    documented = {item.name for item in ClassDoc(ESZSLClassifier)["Attributes"]}
    fitted = {k for k in vars(clf) if k.endswith("_") and not k.startswith("_")}
    assert fitted == documented
    assert_array_equal(clf.feature_names_in_, columns)
    assert clf.n_features_in_ == X.shape[1]
    assert isinstance(clf.class_semantics_, ClassSemantics)
