"""scikit-learn's and the zero-shot contract's checks on every public estimator."""

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
from sklearn_zsl.utils._test_common import estimators_sized_for_tests, sized_for_tests
from sklearn_zsl.utils.estimator_checks import parametrize_with_zsl_checks

# Test-sized instances (sklearn_zsl.utils._test_common): every public estimator,
# with parameters that keep each check fast. scikit-learn's checks call fit(X, y)
# only, so the estimators run on their one-hot fallback semantics. The deep models
# also have to learn the checks' simple problems: more epochs, a larger learning
# rate and full batches than the test-sized defaults.
LEARNING = {"lr": 1e-2, "batch_size": -1}
ESTIMATORS = [
    ESZSLClassifier(),
    SAEClassifier(),
    SAEClassifier(space="visual"),
    sized_for_tests(GFZSLClassifier, classifier="bayes", covariance="diag"),
    sized_for_tests(GFZSLClassifier, classifier="softmax"),
    sized_for_tests(DEMClassifier, **LEARNING, max_epochs=20, early_stopping=False),
    sized_for_tests(DEMClassifier, lr=1e-2, max_epochs=20, metric="cosine"),
    sized_for_tests(
        IZFClassifier, **LEARNING, classifier="bayes", hidden_size=32, max_epochs=30
    ),
    sized_for_tests(
        IZFClassifier, **LEARNING, classifier="softmax", hidden_size=8, max_epochs=20
    ),
    sized_for_tests(
        IZFClassifier, **LEARNING, classifier="gaussian", hidden_size=8, max_epochs=20
    ),
]

# The zero-shot checks pass class semantics, and only need each fit to run: the
# test-sized estimators of every kind as they are, and DEM's cosine metric.
ZSL_ESTIMATORS = [
    *estimators_sized_for_tests().values(),
    sized_for_tests(DEMClassifier, metric="cosine"),
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
    if getattr(estimator, "classifier", None) in ("softmax", "gaussian"):
        # these heads score in float64 outside the flow: subset invariance holds
        return {}
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    """Check that each estimator passes scikit-learn's estimator checks."""
    check(estimator)


@pytest.mark.parametrize(
    "estimators", [ESTIMATORS, ZSL_ESTIMATORS], ids=["sklearn", "zero-shot"]
)
def test_every_public_estimator_is_checked(estimators):
    """Check that no public estimator class is missing from either list."""
    public = {
        name
        for name in sklearn_zsl.__all__
        if inspect.isclass(getattr(sklearn_zsl, name))
        and issubclass(getattr(sklearn_zsl, name), BaseEstimator)
    }
    checked = {type(estimator).__name__ for estimator in estimators}
    assert public <= checked, f"not checked: {sorted(public - checked)}"
    assert public, "no public estimator found"


# The checks' data sets are tiny: test-sized models predict no held-out class in
# the calibration splits of seen_penalty="auto", which says so and uses 0.
@pytest.mark.filterwarnings("ignore:No calibration split gives a positive:UserWarning")
@parametrize_with_zsl_checks(ZSL_ESTIMATORS)
def test_zero_shot_contract(estimator, check):
    """Check that each estimator passes the checks of the zero-shot contract."""
    check(estimator)
