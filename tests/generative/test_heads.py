"""Tests of the heads shared by the generative models."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import multivariate_normal
from sklearn.linear_model import LogisticRegression

from sklearn_zsl.generative._heads import (
    fit_softmax_head,
    gaussian_log_likelihood,
    softmax_head_scores,
)


@pytest.mark.parametrize("shared", [False, True])
def test_gaussian_log_likelihood_matches_scipy(shared):
    """Check the log-densities against scipy's multivariate normal."""
    rng = np.random.RandomState(0)
    X = rng.randn(7, 3)
    means = rng.randn(4, 3)
    variances = rng.uniform(0.2, 2.0, size=3 if shared else (4, 3))
    log_density = gaussian_log_likelihood(X, means, variances)
    expected = np.column_stack(
        [
            multivariate_normal(
                means[k], np.diag(variances if shared else variances[k])
            ).logpdf(X)
            for k in range(4)
        ]
    )
    assert log_density.shape == (7, 4)
    assert_allclose(log_density, expected, rtol=1e-10)


def test_gaussian_log_likelihood_works_in_chunks(monkeypatch):
    """Check that chunked rows give the same result as one chunk."""
    rng = np.random.RandomState(1)
    X, means, variances = rng.randn(11, 4), rng.randn(3, 4), rng.rand(3, 4) + 0.1
    expected = gaussian_log_likelihood(X, means, variances)
    # patch the globals the function runs with, whichever module object they are
    monkeypatch.setitem(gaussian_log_likelihood.__globals__, "_CHUNK_ROWS", 3)
    assert_allclose(gaussian_log_likelihood(X, means, variances), expected)


def test_gaussian_log_likelihood_of_the_mean_is_the_peak():
    """Check that the rounding clip keeps the density at the mean exact."""
    means = np.array([[1e4, -1e4], [0.0, 0.0]])
    variances = np.array([1e-3, 1e-3])
    log_density = gaussian_log_likelihood(means, means, variances)
    peak = -0.5 * np.sum(np.log(2 * np.pi * variances))
    assert_allclose(np.diag(log_density), peak, rtol=1e-8)


def _head_data():
    rng = np.random.RandomState(0)
    X_real = np.concatenate([rng.randn(20, 2) + [3, 0], rng.randn(20, 2) - [3, 0]])
    y_real = np.repeat(["a", "c"], 20)
    X_synthetic = rng.randn(20, 2) + [0, 4]
    y_synthetic = np.repeat(["b"], 20)
    return X_real, y_real, X_synthetic, y_synthetic


def test_fit_softmax_head_uses_real_and_synthetic_rows():
    """Check that the head is a logistic regression on both sets of rows."""
    X_real, y_real, X_synthetic, y_synthetic = _head_data()
    head = fit_softmax_head(X_real, y_real, X_synthetic, y_synthetic, C=0.5)
    expected = LogisticRegression(C=0.5, max_iter=500).fit(
        np.concatenate([X_real, X_synthetic]), np.concatenate([y_real, y_synthetic])
    )
    assert_array_equal(head.classes_, ["a", "b", "c"])
    assert_allclose(head.coef_, expected.coef_)
    assert head.C == 0.5 and head.max_iter == 500


@pytest.mark.parametrize("X_synthetic", [None, np.empty((0, 2))])
def test_fit_softmax_head_without_synthetic_rows(X_synthetic):
    """Check that a head fits on real rows alone (no unseen classes)."""
    X_real, y_real, _, _ = _head_data()
    y_synthetic = None if X_synthetic is None else np.empty(0, dtype=y_real.dtype)
    head = fit_softmax_head(X_real, y_real, X_synthetic, y_synthetic, C=1.0)
    assert_array_equal(head.classes_, ["a", "c"])


def test_softmax_head_scores_follow_the_given_class_order():
    """Check that the columns are the head's logits in the order asked for."""
    X_real, y_real, X_synthetic, y_synthetic = _head_data()
    head = fit_softmax_head(X_real, y_real, X_synthetic, y_synthetic, C=1.0)
    classes = np.array(["c", "a", "b"])
    scores = softmax_head_scores(head, X_real[:5], classes)
    assert scores.dtype == np.float64
    assert_allclose(scores, head.decision_function(X_real[:5])[:, [2, 0, 1]])


def test_softmax_head_scores_binary_head():
    """Check that a binary head gives two logits whose softmax is its proba."""
    X_real, y_real, _, _ = _head_data()
    head = fit_softmax_head(X_real, y_real, None, None, C=1.0)
    scores = softmax_head_scores(head, X_real, np.array(["a", "c"]))
    assert scores.shape == (40, 2)
    proba = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    assert_allclose(proba, head.predict_proba(X_real))


def test_softmax_head_scores_rejects_other_classes():
    """Check that a head trained on other classes is a clear error."""
    X_real, y_real, _, _ = _head_data()
    head = fit_softmax_head(X_real, y_real, None, None, C=1.0)
    with pytest.raises(ValueError, match="not on exactly the classes"):
        softmax_head_scores(head, X_real, np.array(["a", "b", "c"]))
