"""Tests of GFZSLClassifier against independent NumPy computations."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from numpydoc.docscrape import ClassDoc
from scipy.stats import multivariate_normal

from sklearn_zsl import ClassSemantics
from sklearn_zsl.generative import GFZSLClassifier
from sklearn_zsl.generative._heads import softmax_head_scores

# Four classes; "bee" has no training sample and sorts between seen classes, so
# a mix-up of seen-class and all-class indices cannot go unnoticed.
LABELS = np.array(["ant", "bee", "cat", "dog"])
SEEN = np.array(["ant", "cat", "dog"])


def _tiny_problem(n_features=5, n_dims=2, seed=0):
    """15 samples of the 3 seen classes, far from unit scale, 4 class vectors."""
    rng = np.random.RandomState(seed)
    y = np.tile(SEEN, 5)
    X = 10.0 * rng.randn(15, n_features) + 50.0
    semantics = ClassSemantics(LABELS, rng.rand(4, n_dims))
    return X, y, semantics


def _ml_estimates(X, y):
    """Class means, per-class scatter and pooled variance with plain loops."""
    means = np.array([X[y == c].mean(axis=0) for c in SEEN])
    scatter = np.array([((X[y == c] - X[y == c].mean(0)) ** 2).sum(0) for c in SEEN])
    pooled = scatter.sum(axis=0) / (X.shape[0] - SEEN.size)
    counts = np.array([np.sum(y == c) for c in SEEN])
    return means, scatter, pooled, counts


def _ridge(S, T, alpha):
    """Ridge with an unpenalised intercept, explicit inverse."""
    S0, T0 = S - S.mean(0), T - T.mean(0)
    coef = np.linalg.inv(S0.T @ S0 + alpha * np.eye(S.shape[1])) @ S0.T @ T0
    return coef, T.mean(0) - S.mean(0) @ coef


@pytest.mark.parametrize("n_dims", [2, 6])  # fewer / more dims than seen classes
@pytest.mark.parametrize("alpha", [0.3, 5.0])
def test_pooled_model_matches_closed_form(n_dims, alpha):
    """Check ML seen Gaussians and ridge-regressed unseen means (pooled)."""
    X, y, semantics = _tiny_problem(n_dims=n_dims)
    clf = GFZSLClassifier(classifier="bayes", alpha=alpha, covariance="pooled")
    clf.fit(X, y, class_semantics=semantics)
    means, _, pooled, _ = _ml_estimates(X, y)
    S = semantics.to_numpy()
    coef, intercept = _ridge(S[[0, 2, 3]], means, alpha)
    assert_allclose(clf.coef_, coef.T, rtol=1e-8)
    assert_allclose(clf.intercept_, intercept, rtol=1e-8)
    assert_allclose(clf.means_[[0, 2, 3]], means, rtol=1e-10)
    assert_allclose(clf.means_[1], S[1] @ coef + intercept, rtol=1e-8)
    assert_allclose(clf.variances_, np.tile(pooled, (4, 1)), rtol=1e-8)
    assert clf.log_variance_coef_ is None and clf.head_ is None
    assert clf.alpha_ == alpha


def test_diag_model_matches_closed_form():
    """Check shrunk per-class variances and regressed unseen log-variances."""
    X, y, semantics = _tiny_problem()
    clf = GFZSLClassifier(classifier="bayes", alpha=0.7, covariance="diag")
    clf.fit(X, y, class_semantics=semantics)
    means, scatter, pooled, counts = _ml_estimates(X, y)
    variances = (scatter + pooled) / counts[:, None]
    S = semantics.to_numpy()
    coef, intercept = _ridge(S[[0, 2, 3]], np.log(variances), 0.7)
    assert_allclose(clf.variances_[[0, 2, 3]], variances, rtol=1e-8)
    assert_allclose(clf.log_variance_coef_, coef.T, rtol=1e-7)
    assert_allclose(clf.log_variance_intercept_, intercept, rtol=1e-8)
    assert_allclose(clf.variances_[1], np.exp(S[1] @ coef + intercept), rtol=1e-8)


def test_auto_alpha_is_mean_eigenvalue_of_centred_semantics():
    """Check that alpha="auto" resolves to ||S - mean||_F^2 / n_dims."""
    X, y, semantics = _tiny_problem(n_dims=3)
    clf = GFZSLClassifier(classifier="bayes").fit(X, y, class_semantics=semantics)
    S = semantics.to_numpy()[[0, 2, 3]]
    assert_allclose(clf.alpha_, np.sum((S - S.mean(0)) ** 2) / 3)


@pytest.mark.parametrize("covariance", ["pooled", "diag"])
def test_bayes_scores_are_gaussian_log_densities(covariance):
    """Check decision_function against scipy's densities in the units of X."""
    X, y, semantics = _tiny_problem()
    clf = GFZSLClassifier(classifier="bayes", covariance=covariance)
    clf.fit(X, y, class_semantics=semantics)
    expected = np.column_stack(
        [
            multivariate_normal(clf.means_[k], np.diag(clf.variances_[k])).logpdf(X)
            for k in range(4)
        ]
    )
    assert_allclose(clf.decision_function(X), expected, rtol=1e-8)
    proba = clf.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))


def test_softmax_head_trains_on_real_and_sampled_unseen_features():
    """Check the head's classes, its input units and its logits."""
    X, y, semantics = _tiny_problem()
    clf = GFZSLClassifier(classifier="softmax", n_synthetic_per_class=7, random_state=0)
    clf.fit(X, y, class_semantics=semantics)
    assert_array_equal(clf.head_.classes_, LABELS)
    X_scaled = (X - X.mean(0)) / X.std(0)
    assert_allclose(clf.feature_mean_, X.mean(0))
    assert_allclose(
        clf.decision_function(X), softmax_head_scores(clf.head_, X_scaled, LABELS)
    )
    proba = clf.predict_proba(X)
    assert_allclose(proba, clf.head_.predict_proba(X_scaled), rtol=1e-6)
    # the head depends on the sampled unseen features, hence on random_state
    other = GFZSLClassifier(
        classifier="softmax", n_synthetic_per_class=7, random_state=1
    )
    other.fit(X, y, class_semantics=semantics)
    assert not np.allclose(other.head_.coef_, clf.head_.coef_)
    again = GFZSLClassifier(
        classifier="softmax", n_synthetic_per_class=7, random_state=0
    )
    again.fit(X, y, class_semantics=semantics)
    assert_array_equal(again.head_.coef_, clf.head_.coef_)


def test_sample_shapes_labels_and_reproducibility():
    """Check sample's shapes, labels, units and seeding."""
    X, y, semantics = _tiny_problem()
    clf = GFZSLClassifier(random_state=0).fit(X, y, class_semantics=semantics)
    X_new, y_new = clf.sample(["bee", "ant", "bee"], n_samples=4, random_state=0)
    assert X_new.shape == (12, 5)
    assert_array_equal(y_new, np.repeat(["bee", "ant", "bee"], 4))
    X_again, _ = clf.sample(["bee", "ant", "bee"], n_samples=4, random_state=0)
    assert_array_equal(X_again, X_new)
    X_other, _ = clf.sample(["bee", "ant", "bee"], n_samples=4, random_state=1)
    assert not np.allclose(X_other, X_new)
    # many samples of the unseen class have its mean and variances
    X_many, _ = clf.sample(["bee"], n_samples=20000, random_state=0)
    assert_allclose(X_many.mean(0), clf.means_[1], atol=0.1)
    assert_allclose(X_many.var(0), clf.variances_[1], rtol=0.05)


@pytest.mark.parametrize(
    "classes, n_samples, err_msg",
    [
        (["eel"], 1, "Unknown classes ['eel']"),
        ("ant", 1, "classes must be a 1-D array-like"),
        (["ant"], 0, "n_samples must be a positive integer"),
        (["ant"], 1.5, "n_samples must be a positive integer"),
    ],
)
def test_sample_rejects_bad_arguments(classes, n_samples, err_msg):
    """Check that sample rejects unknown labels and bad counts."""
    X, y, semantics = _tiny_problem()
    clf = GFZSLClassifier(classifier="bayes").fit(X, y, class_semantics=semantics)
    with pytest.raises(ValueError, match=re.escape(err_msg)):
        clf.sample(classes, n_samples)


def _learning_problem(seed=0):
    """20 classes with 10 attributes, 15 seen and 5 unseen, 20 samples each."""
    rng = np.random.RandomState(seed)
    attributes = rng.rand(20, 10)
    y = np.repeat(np.arange(20), 20)
    X = attributes[y] @ rng.randn(10, 20) + 0.3 * rng.randn(y.size, 20)
    seen = y < 15
    semantics = ClassSemantics(np.arange(20), attributes)
    return X[seen], y[seen], X[~seen], y[~seen], semantics


@pytest.mark.parametrize("classifier", ["softmax", "bayes"])
@pytest.mark.parametrize("covariance", ["pooled", "diag"])
def test_learns_unseen_classes(classifier, covariance):
    """Check zero-shot accuracy far above chance (0.2), from the semantics.

    With swapped unseen-class semantics the accuracy must collapse, so the
    transfer comes from the semantics and not from the features.
    """
    X, y, X_unseen, y_unseen, semantics = _learning_problem()
    params = {"classifier": classifier, "covariance": covariance, "random_state": 0}
    clf = GFZSLClassifier(**params).fit(X, y, class_semantics=semantics)
    y_pred = clf.predict(X_unseen, candidates=clf.unseen_classes_)
    assert np.mean(y_pred == y_unseen) >= 0.8
    attributes = semantics.to_numpy().copy()
    attributes[15:] = attributes[[16, 17, 18, 19, 15]]
    shuffled = ClassSemantics(np.arange(20), attributes)
    clf = GFZSLClassifier(**params).fit(X, y, class_semantics=shuffled)
    y_pred = clf.predict(X_unseen, candidates=clf.unseen_classes_)
    assert np.mean(y_pred == y_unseen) < 0.3


@pytest.mark.parametrize("classifier", ["softmax", "bayes"])
def test_without_semantics_is_a_supervised_classifier(classifier):
    """Check the one-hot fallback: no unseen class, no synthetic rows."""
    X, y, _ = _tiny_problem()
    X = X + 30.0 * (y[:, None] == SEEN).argmax(1)[:, None]
    clf = GFZSLClassifier(classifier=classifier, softmax_C=1.0, random_state=0)
    clf.fit(X, y)
    assert_array_equal(clf.classes_, SEEN)
    assert clf.unseen_classes_.size == 0
    assert np.mean(clf.predict(X) == y) == 1.0


@pytest.mark.parametrize(
    "params, err_msg",
    [
        ({"alpha": 0.0}, "The 'alpha' parameter of GFZSLClassifier must be"),
        ({"alpha": "big"}, "The 'alpha' parameter of GFZSLClassifier must be"),
        ({"classifier": "lda"}, "The 'classifier' parameter of GFZSLClassifier"),
        ({"covariance": "full"}, "The 'covariance' parameter of GFZSLClassifier"),
        ({"n_synthetic_per_class": 0}, "The 'n_synthetic_per_class' parameter"),
        ({"softmax_C": -1.0}, "The 'softmax_C' parameter of GFZSLClassifier"),
    ],
)
def test_invalid_parameters_raise(params, err_msg):
    """Check that invalid parameters are rejected by fit."""
    X, y, semantics = _tiny_problem()
    with pytest.raises(ValueError, match=re.escape(err_msg)):
        GFZSLClassifier(**params).fit(X, y, class_semantics=semantics)


@pytest.mark.parametrize("covariance", ["pooled", "diag"])
@pytest.mark.parametrize("classifier", ["softmax", "bayes"])
def test_fitted_attributes_are_documented(classifier, covariance):
    """Check that every fitted attribute exists and is in the docstring."""
    X, y, semantics = _tiny_problem()
    columns = [f"f{i}" for i in range(X.shape[1])]
    clf = GFZSLClassifier(classifier=classifier, covariance=covariance).fit(
        pd.DataFrame(X, columns=columns), y, class_semantics=semantics
    )
    documented = {item.name for item in ClassDoc(GFZSLClassifier)["Attributes"]}
    fitted = {k for k in vars(clf) if k.endswith("_") and not k.startswith("_")}
    assert fitted == documented
    assert_array_equal(clf.feature_names_in_, columns)
