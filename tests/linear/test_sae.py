"""Tests of SAEClassifier against independent solutions of its Sylvester equation."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from numpydoc.docscrape import ClassDoc
from scipy.linalg import solve_sylvester
from sklearn.metrics.pairwise import cosine_similarity

from sklearn_zsl import ClassSemantics
from sklearn_zsl.linear import SAEClassifier

# Four classes; "bee" has no training sample and sorts between seen classes.
LABELS = np.array(["ant", "bee", "cat", "dog"])
SEEN = np.array(["ant", "cat", "dog"])


def _tiny_problem(n_samples=12, n_features=5, n_dims=3, seed=0):
    """Samples of the 3 seen classes and semantics of all 4 classes."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_samples, n_features)
    y = np.resize(SEEN, n_samples)
    semantics = ClassSemantics(LABELS, rng.rand(4, n_dims))
    return X, y, semantics


def _sample_semantics(y, semantics):
    """The semantic vector of each sample's class, one row per sample."""
    return semantics.to_numpy()[np.searchsorted(LABELS, y)]


def _sylvester_terms(X, S, alpha):
    """A, B, C of the SAE equation A W + W B = C."""
    return S.T @ S, alpha * X.T @ X, (1 + alpha) * S.T @ X


def _kronecker_min_norm_solution(A, B, C):
    """Least-norm W of A W + W B = C from its vectorised (Kronecker) form."""
    k, d = C.shape
    operator = np.kron(np.eye(d), A) + np.kron(B.T, np.eye(k))
    vec_w = np.linalg.pinv(operator, rcond=1e-10) @ C.flatten(order="F")
    return vec_w.reshape((k, d), order="F")


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


@pytest.mark.parametrize("alpha", [0.2, 1.0, 50.0])
def test_coef_solves_sylvester_equation(alpha):
    """Check coef_ against scipy's Sylvester solver and the equation's residual."""
    X, y, semantics = _tiny_problem()
    clf = SAEClassifier(alpha=alpha).fit(X, y, class_semantics=semantics)
    A, B, C = _sylvester_terms(X, _sample_semantics(y, semantics), alpha)

    assert clf.coef_.shape == (3, 5)
    assert_allclose(A @ clf.coef_ + clf.coef_ @ B, C, atol=1e-10)
    assert_allclose(clf.coef_, solve_sylvester(A, B, C), rtol=1e-8, atol=1e-10)
    assert_allclose(clf.coef_, _kronecker_min_norm_solution(A, B, C), atol=1e-10)


def test_coef_is_least_norm_solution_when_singular():
    """Check the least-norm solution when the equation has many solutions.

    With 6 samples of 3 classes in 10 dimensions and 5-d semantics, both
    S'S (rank 3 of 5) and X'X (rank 6 of 10) are singular.
    """
    X, y, semantics = _tiny_problem(n_samples=6, n_features=10, n_dims=5)
    clf = SAEClassifier(alpha=0.5).fit(X, y, class_semantics=semantics)
    A, B, C = _sylvester_terms(X, _sample_semantics(y, semantics), 0.5)
    assert np.linalg.matrix_rank(A) == 3
    assert np.linalg.matrix_rank(B) == 6

    assert_allclose(A @ clf.coef_ + clf.coef_ @ B, C, atol=1e-10)
    assert_allclose(clf.coef_, _kronecker_min_norm_solution(A, B, C), atol=1e-10)


def test_zero_alpha_is_least_squares_decoder():
    """Check that alpha=0 keeps only the decoder: W = pinv(S) X."""
    X, y, semantics = _tiny_problem()
    clf = SAEClassifier(alpha=0.0).fit(X, y, class_semantics=semantics)
    S = _sample_semantics(y, semantics)
    assert_allclose(clf.coef_, np.linalg.pinv(S) @ X, atol=1e-10)


def test_large_alpha_tends_to_least_squares_encoder():
    """Check that a dominant encoding loss gives the regression of S on X."""
    X, y, semantics = _tiny_problem()
    clf = SAEClassifier(alpha=1e8).fit(X, y, class_semantics=semantics)
    S = _sample_semantics(y, semantics)
    encoder = np.linalg.lstsq(X, S, rcond=None)[0].T
    assert_allclose(clf.coef_, encoder, rtol=1e-5, atol=1e-7)
    small = SAEClassifier(alpha=0.2).fit(X, y, class_semantics=semantics)
    assert not np.allclose(small.coef_, encoder, rtol=1e-2)


@pytest.mark.parametrize("space", ["semantic", "visual"])
def test_scores_are_cosine_similarities(space):
    """Check decision_function against sklearn's cosine_similarity."""
    X, y, semantics = _tiny_problem()
    clf = SAEClassifier(space=space).fit(X, y, class_semantics=semantics)
    W, S_all = clf.coef_, semantics.to_numpy()
    if space == "semantic":
        expected = cosine_similarity(X @ W.T, S_all)
    else:
        expected = cosine_similarity(X, S_all @ W)
    assert_allclose(clf.decision_function(X), expected, rtol=1e-10, atol=1e-12)
    assert_array_equal(clf.predict(X), LABELS[np.argmax(expected, axis=1)])


def test_zero_vectors_score_zero():
    """Check that an all-zero sample or class vector has similarity 0, not NaN."""
    X, y, semantics = _tiny_problem()
    matrix = semantics.to_numpy().copy()
    matrix[1] = 0.0  # the unseen class "bee"
    zero_class = ClassSemantics(LABELS, matrix)
    for space in ("semantic", "visual"):
        clf = SAEClassifier(space=space).fit(X, y, class_semantics=zero_class)
        scores = clf.decision_function(np.vstack([np.zeros(5), X[:2]]))
        assert np.all(np.isfinite(scores))
        assert_array_equal(scores[0], 0.0)
        assert_array_equal(scores[:, 1], 0.0)


@pytest.mark.parametrize("space", ["semantic", "visual"])
def test_learns_unseen_classes(space):
    """Check zero-shot accuracy far above chance on a linear generative problem.

    Chance is 1 / 5 = 0.2 among the 5 unseen classes. Over 30 random draws of
    this problem SAE with default parameters reaches a median of 1.0 and a
    10th percentile of 0.96 in both spaces; the threshold is 0.9.
    """
    X, y, X_unseen, y_unseen, semantics = _learning_problem()
    clf = SAEClassifier(space=space).fit(X, y, class_semantics=semantics)
    y_pred = clf.predict(X_unseen, candidates=clf.unseen_classes_)
    accuracy = np.mean(y_pred == y_unseen)
    assert accuracy >= 0.9, accuracy
    # Swapping the semantics of the unseen classes must destroy the transfer.
    attributes = semantics.to_numpy().copy()
    attributes[15:] = attributes[[16, 17, 18, 19, 15]]
    shuffled = ClassSemantics(np.arange(20), attributes)
    clf_shuffled = SAEClassifier(space=space).fit(X, y, class_semantics=shuffled)
    y_pred = clf_shuffled.predict(X_unseen, candidates=clf.unseen_classes_)
    assert np.mean(y_pred == y_unseen) < 0.3


def test_space_needs_no_refit():
    """Check that changing space after fit changes the scores, not coef_."""
    X, y, semantics = _tiny_problem()
    clf = SAEClassifier(space="semantic").fit(X, y, class_semantics=semantics)
    semantic_scores = clf.decision_function(X)
    visual_scores = clf.set_params(space="visual").decision_function(X)
    refitted = SAEClassifier(space="visual").fit(X, y, class_semantics=semantics)
    assert not np.allclose(semantic_scores, visual_scores)
    assert_allclose(visual_scores, refitted.decision_function(X))


@pytest.mark.parametrize(
    "params, err_msg",
    [
        ({"alpha": -1.0}, "The 'alpha' parameter of SAEClassifier must be"),
        ({"space": "pixel"}, "The 'space' parameter of SAEClassifier must be"),
    ],
)
def test_invalid_parameters_raise(params, err_msg):
    """Check that a negative alpha or an unknown space is rejected by fit."""
    X, y, semantics = _tiny_problem()
    with pytest.raises(ValueError, match=re.escape(err_msg)):
        SAEClassifier(**params).fit(X, y, class_semantics=semantics)


def test_fitted_attributes_are_documented():
    """Check that every fitted attribute exists and is in the docstring."""
    X, y, semantics = _tiny_problem()
    columns = [f"f{i}" for i in range(X.shape[1])]
    clf = SAEClassifier().fit(
        pd.DataFrame(X, columns=columns), y, class_semantics=semantics
    )
    documented = {item.name for item in ClassDoc(SAEClassifier)["Attributes"]}
    params = clf.get_params(deep=False)
    fitted = {
        k
        for k in vars(clf)
        if k.endswith("_") and not k.startswith("_") and k not in params
    }
    assert fitted == documented
    assert_array_equal(clf.feature_names_in_, columns)
    assert clf.n_features_in_ == X.shape[1]
    assert_array_equal(clf.unseen_classes_, ["bee"])
