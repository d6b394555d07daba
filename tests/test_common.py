"""scikit-learn's estimator checks on every public estimator of sklearn_zsl."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect

import pytest
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import sklearn_zsl
from sklearn_zsl import (
    DEMClassifier,
    ESZSLClassifier,
    GFZSLClassifier,
    IZFClassifier,
    SAEClassifier,
)

# Test-sized instances: every public estimator, with parameters that keep each
# check fast. Checks call fit(X, y) only, so the estimators run on their one-hot
# fallback semantics.
ESTIMATORS = [
    ESZSLClassifier(),
    SAEClassifier(),
    SAEClassifier(space="visual"),
    GFZSLClassifier(classifier="bayes", covariance="diag"),
    GFZSLClassifier(classifier="softmax", n_synthetic_per_class=5, random_state=0),
    DEMClassifier(
        hidden_layer_sizes=(16,),
        lr=1e-2,
        max_epochs=20,
        batch_size=-1,
        early_stopping=False,
        random_state=0,
    ),
    DEMClassifier(
        hidden_layer_sizes=(16,),
        lr=1e-2,
        max_epochs=20,
        metric="cosine",
        random_state=0,
    ),
    IZFClassifier(
        classifier="bayes",
        n_blocks=2,
        hidden_size=32,
        batch_size=-1,
        max_epochs=30,
        lr=1e-2,
        random_state=0,
    ),
    IZFClassifier(
        classifier="softmax",
        n_blocks=2,
        hidden_size=8,
        max_epochs=20,
        batch_size=-1,
        lr=1e-2,
        n_synthetic_per_class=5,
        random_state=0,
    ),
]

# {class name: {check name: reason}}; every entry must say why.
EXPECTED_FAILED_CHECKS = {
    "IZFClassifier": {
        "check_methods_subset_invariance": (
            "float32 matrix products in the flow differ by about 1e-6 relative "
            "between batch sizes; the check compares with atol=1e-7"
        ),
    },
}


def _expected_failed_checks(estimator):
    if getattr(estimator, "classifier", None) == "softmax":
        # the logistic-regression head scores in float64: subset invariance holds
        return {}
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    """Check that each estimator passes scikit-learn's estimator checks."""
    check(estimator)


def test_every_public_estimator_is_checked():
    """Check that no public estimator class is missing from ESTIMATORS."""
    public = {
        name
        for name in sklearn_zsl.__all__
        if inspect.isclass(getattr(sklearn_zsl, name))
        and issubclass(getattr(sklearn_zsl, name), BaseEstimator)
    }
    checked = {type(estimator).__name__ for estimator in ESTIMATORS}
    assert public <= checked, f"not checked: {sorted(public - checked)}"
    assert public, "no public estimator found"


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_fit_requests_class_semantics_by_default(estimator):
    """Check the default metadata request of every estimator."""
    requests = estimator.get_metadata_routing().fit.requests
    assert requests["class_semantics"] is True
