"""scikit-learn's estimator checks on every public estimator of sklearn_zsl."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect

import pytest
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import sklearn_zsl
from sklearn_zsl import ESZSLClassifier, SAEClassifier

# Test-sized instances: every public estimator, with parameters that keep each
# check fast. Checks call fit(X, y) only, so the estimators run on their one-hot
# fallback semantics.
ESTIMATORS = [
    ESZSLClassifier(),
    SAEClassifier(),
    SAEClassifier(space="visual"),
]

# {class name: {check name: reason}}; every entry must say why.
EXPECTED_FAILED_CHECKS = {}


def _expected_failed_checks(estimator):
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
