"""Test-sized estimators: the small, fast instances every test file uses.

Defined once here, as scikit-learn defines its own in
``sklearn/utils/_test_common/instance_generator.py``, so that the test files
do not each grow their own copy. Test-sized means a few epochs of a tiny
network and a fixed seed: enough to exercise the zero-shot contract
(fitting, persistence, interruption, relabelling, bad inputs), not to learn
well. A test that needs more states it as overrides, e.g.
``sized_for_tests(DEMClassifier, max_epochs=20, lr=1e-2)``.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from sklearn.base import BaseEstimator

from sklearn_zsl.embedding import DEMClassifier
from sklearn_zsl.flow import IZFClassifier
from sklearn_zsl.generative import GFZSLClassifier
from sklearn_zsl.linear import ESZSLClassifier, SAEClassifier

__all__ = ["TEST_SIZED_PARAMS", "estimators_sized_for_tests", "sized_for_tests"]

#: Parameters that make each estimator test-sized, by class name; the linear
#: models are fast as they are.
TEST_SIZED_PARAMS = {
    "DEMClassifier": {"hidden_layer_sizes": (16,), "max_epochs": 5, "random_state": 0},
    "IZFClassifier": {
        "n_blocks": 2,
        "hidden_size": 16,
        "max_epochs": 5,
        "batch_size": 16,
        "n_synthetic_per_class": 5,
        "random_state": 0,
    },
    "GFZSLClassifier": {"n_synthetic_per_class": 5, "random_state": 0},
}


def sized_for_tests(estimator_class: type, **params) -> BaseEstimator:
    """An instance of ``estimator_class`` with test-sized parameters.

    Parameters
    ----------
    estimator_class : type
        The estimator class.
    **params : dict
        Parameters that override or complete the test-sized ones.

    Returns
    -------
    estimator : estimator instance
        The unfitted estimator.

    Examples
    --------
    >>> from sklearn_zsl import DEMClassifier
    >>> from sklearn_zsl.utils._test_common import sized_for_tests
    >>> sized_for_tests(DEMClassifier, early_stopping=False)
    DEMClassifier(early_stopping=False, hidden_layer_sizes=(16,), max_epochs=5,
                  random_state=0)
    """
    test_sized = TEST_SIZED_PARAMS.get(estimator_class.__name__, {})
    return estimator_class(**{**test_sized, **params})


def estimators_sized_for_tests() -> dict[str, BaseEstimator]:
    """Every estimator, test-sized, in each of its kinds, by a short name.

    A new dictionary of new instances at every call, so that no test shares
    an instance with another test file.

    Returns
    -------
    estimators : dict
        ``"eszsl"``, ``"sae"``, ``"sae-visual"``, ``"gfzsl-bayes"`` (with
        per-class variances), ``"gfzsl-softmax"``, ``"dem"``,
        ``"izf-bayes"`` and ``"izf-softmax"`` to an unfitted estimator.

    Examples
    --------
    >>> from sklearn_zsl.utils._test_common import estimators_sized_for_tests
    >>> list(estimators_sized_for_tests())
    ['eszsl', 'sae', 'sae-visual', 'gfzsl-bayes', 'gfzsl-softmax', 'dem',
     'izf-bayes', 'izf-softmax', 'izf-gaussian']
    """
    return {
        "eszsl": ESZSLClassifier(),
        "sae": SAEClassifier(),
        "sae-visual": SAEClassifier(space="visual"),
        "gfzsl-bayes": sized_for_tests(
            GFZSLClassifier, classifier="bayes", covariance="diag"
        ),
        "gfzsl-softmax": sized_for_tests(GFZSLClassifier, classifier="softmax"),
        "dem": sized_for_tests(DEMClassifier),
        "izf-bayes": sized_for_tests(IZFClassifier, classifier="bayes"),
        "izf-softmax": sized_for_tests(IZFClassifier, classifier="softmax"),
        "izf-gaussian": sized_for_tests(IZFClassifier, classifier="gaussian"),
    }
