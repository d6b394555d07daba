"""Checks of class semantics passed through scikit-learn's meta-estimators."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
import sklearn
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_zsl.model_selection import ZSLKFold
from sklearn_zsl.utils.estimator_checks._common import (
    _seeded_clone,
    _zsl_check,
    _zsl_data,
)


def _n_classes_known(estimator, X, y):
    """Scorer: the number of classes a fold's fitted estimator knows.

    It predicts first, as a scorer would: with nothing but ``X``.
    """
    estimator.predict(X)
    return float(len(estimator.classes_))


@_zsl_check
def check_semantics_intact_in_grid_search(
    name: str, estimator_orig: BaseEstimator
) -> None:
    """Check that GridSearchCV passes the semantics whole to every fold.

    scikit-learn slices a ``fit`` argument whose length equals the number of
    samples (scikit-learn issues #15805 and #30739). Here there are as many
    classes as training samples: the semantics, a
    :class:`~sklearn_zsl.ClassSemantics`, given to ``GridSearchCV.fit`` with
    metadata routing off and on, or as the constructor parameter, must reach
    every fold's ``fit`` and the refit with all the classes.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import (
    ...     check_semantics_intact_in_grid_search,
    ... )
    >>> check_semantics_intact_in_grid_search("ESZSLClassifier", ESZSLClassifier())
    """
    # 6 seen classes of 3 samples and 12 unseen classes: 18 samples, 18 classes
    X_train, y_train, _, semantics = _zsl_data(18, 12, 3)
    n_classes = semantics.n_classes
    assert X_train.shape[0] == n_classes
    estimator = _seeded_clone(estimator_orig)
    searches = {
        "routing off": (estimator, {"class_semantics": semantics}, False),
        "routing on": (estimator, {"class_semantics": semantics}, True),
        "the constructor parameter": (
            clone(estimator).set_params(class_semantics=semantics),
            {},
            False,
        ),
    }
    for how, (base, params, routing) in searches.items():
        search = GridSearchCV(
            base,
            {"seen_penalty": [0.0]},
            cv=ZSLKFold(n_splits=2),
            scoring=_n_classes_known,
            error_score="raise",
        )
        with sklearn.config_context(enable_metadata_routing=routing):
            search.fit(X_train, y_train, **params)
        known = [search.cv_results_[f"split{k}_test_score"][0] for k in range(2)]
        known.append(len(search.best_estimator_.classes_))
        assert known == [n_classes] * 3, (
            f"{name} in GridSearchCV with the semantics passed by {how} knew "
            f"{known} classes in the 2 folds and the refit instead of all "
            f"{n_classes}: the semantics were cut down on the way."
        )


@_zsl_check
def check_metadata_routing(name: str, estimator_orig: BaseEstimator) -> None:
    """Check that ``class_semantics`` reaches ``fit`` through a Pipeline.

    ``fit`` requests ``class_semantics`` by default, so that with metadata
    routing on, ``Pipeline.fit(X, y, class_semantics=S)`` needs no
    ``set_fit_request``; with routing off, the prefixed
    ``Pipeline.fit(X, y, <step>__class_semantics=S)`` works.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import check_metadata_routing
    >>> check_metadata_routing("ESZSLClassifier", ESZSLClassifier())
    """
    estimator = _seeded_clone(estimator_orig)
    requests = estimator.get_metadata_routing().fit.requests
    assert requests.get("class_semantics") is True, (
        f"{name}.fit must request class_semantics by default (declare "
        '__metadata_request__fit = {"class_semantics": True}); its request is '
        f"{requests.get('class_semantics')!r}."
    )
    X_train, y_train, _, semantics = _zsl_data()
    classes = np.unique(semantics.labels)
    calls = {
        "routing on": (True, {"class_semantics": semantics}),
        "routing off": (False, {"zsl__class_semantics": semantics}),
    }
    for how, (routing, params) in calls.items():
        pipe = Pipeline([("scale", StandardScaler()), ("zsl", clone(estimator))])
        with sklearn.config_context(enable_metadata_routing=routing):
            pipe.fit(X_train, y_train, **params)
        assert_array_equal(
            pipe[-1].classes_,
            classes,
            err_msg=f"{name} in a Pipeline fitted with {how} did not get the "
            "semantics.",
        )
