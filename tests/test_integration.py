"""The contract end to end: semantics through Pipeline, GridSearchCV, cross_validate."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd
import pytest
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_zsl import ClassSemantics, ESZSLClassifier, SAEClassifier
from sklearn_zsl.metrics import gzsl_scorer, gzsl_scores, zsl_scorer
from sklearn_zsl.model_selection import GZSLShuffleSplit, ZSLKFold


@pytest.fixture(scope="module")
def data():
    """12 classes with two semantic modalities; classes 9, 10, 11 never trained on.

    Features depend linearly on the "att" modality; "noise" is uninformative.
    """
    rng = np.random.default_rng(0)
    n_classes, n_per_class = 12, 15
    # non-negative attributes, as real ones: ESZSL's -1/+1 targets assume them
    att = rng.uniform(size=(n_classes, 6))
    noise = rng.uniform(size=(n_classes, 6))
    semantics = ClassSemantics(np.arange(n_classes), {"att": att, "noise": noise})
    y = np.repeat(np.arange(n_classes), n_per_class)
    X = att[y] @ rng.normal(size=(6, 20)) + 0.3 * rng.normal(size=(y.size, 20))
    train = y < 9
    return X[train], y[train], X[~train], y[~train], semantics


@pytest.fixture
def routing():
    """Enable metadata routing for one test."""
    with sklearn.config_context(enable_metadata_routing=True):
        yield


@pytest.mark.parametrize(
    "cv",
    [ZSLKFold(n_splits=3), GZSLShuffleSplit(n_splits=3, unseen_size=3, random_state=0)],
)
def test_grid_search_unrouted_fit_argument(data, cv):
    """Check GridSearchCV(refit="H") with semantics as a plain fit argument."""
    X, y, X_test, y_test, semantics = data
    search = GridSearchCV(
        ESZSLClassifier(),
        {"alpha": [1e-3, 1.0], "beta": [1e-3, 1.0]},
        cv=cv,
        scoring=gzsl_scorer,
        refit="H",
    )
    search.fit(X, y, class_semantics=semantics)
    for name in ("acc_seen", "acc_unseen", "H"):
        assert f"mean_test_{name}" in search.cv_results_
    assert np.isfinite(search.cv_results_["mean_test_acc_unseen"]).all()
    # the refitted model knows the classes held out of the whole search
    best = search.best_estimator_
    assert_array_equal(best.unseen_classes_, [9, 10, 11])
    y_pred = best.predict(X_test, candidates=best.unseen_classes_)
    assert (y_pred == y_test).mean() > 0.6


def test_grid_search_pipeline_unrouted(data):
    """Check a Pipeline inside GridSearchCV with the step__class_semantics name."""
    X, y, _, _, semantics = data
    pipe = make_pipeline(StandardScaler(), SAEClassifier())
    search = GridSearchCV(
        pipe,
        {"saeclassifier__alpha": [0.1, 1.0]},
        cv=ZSLKFold(n_splits=3),
        scoring={"zsl": zsl_scorer},
        refit="zsl",
    )
    search.fit(X, y, saeclassifier__class_semantics=semantics)
    assert search.best_score_ > 1 / 3
    assert_array_equal(search.best_estimator_[-1].classes_, np.arange(12))


def test_grid_search_pipeline_routed(data, routing):
    """Check routing on: no prefix and no set_fit_request are needed."""
    X, y, _, _, semantics = data
    pipe = Pipeline([("scale", StandardScaler()), ("eszsl", ESZSLClassifier())])
    search = GridSearchCV(
        pipe,
        {"eszsl__alpha": [0.1, 1.0]},
        cv=GZSLShuffleSplit(n_splits=2, unseen_size=3, random_state=0),
        scoring=gzsl_scorer,
        refit="H",
    )
    search.fit(X, y, class_semantics=semantics)
    assert_array_equal(search.best_estimator_[-1].classes_, np.arange(12))
    assert np.isfinite(search.cv_results_["mean_test_H"]).all()


def test_cross_validate_routed_and_unrouted_agree(data):
    """Check cross_validate gives the same scores with routing off and on."""
    X, y, _, _, semantics = data
    cv = ZSLKFold(n_splits=3)
    off = cross_validate(
        ESZSLClassifier(),
        X,
        y,
        cv=cv,
        scoring=zsl_scorer,
        params={"class_semantics": semantics},
    )
    with sklearn.config_context(enable_metadata_routing=True):
        on = cross_validate(
            ESZSLClassifier(),
            X,
            y,
            cv=cv,
            scoring=zsl_scorer,
            params={"class_semantics": semantics},
        )
    assert_allclose(off["test_score"], on["test_score"])
    assert (off["test_score"] > 1 / 3).all()


def test_search_over_semantic_modalities(data):
    """Check a search over class_semantics given as a constructor parameter."""
    X, y, _, _, semantics = data
    att = ClassSemantics(semantics.labels, {"att": semantics.to_numpy("att")})
    noise = ClassSemantics(semantics.labels, {"noise": semantics.to_numpy("noise")})
    search = GridSearchCV(
        ESZSLClassifier(),
        {"class_semantics": [noise, att]},
        cv=ZSLKFold(n_splits=3),
        scoring=zsl_scorer,
    )
    search.fit(X, y)
    assert search.best_params_["class_semantics"] == att
    scores = search.cv_results_["mean_test_score"]
    assert scores[1] > scores[0] + 0.2


def test_gzsl_scores_from_refit_estimator(data):
    """Check gzsl_scorer equals gzsl_scores computed by hand from predictions."""
    X, y, X_test, y_test, semantics = data
    clf = ESZSLClassifier().fit(X, y, class_semantics=semantics)
    X_all = np.vstack([X, X_test])
    y_all = np.concatenate([y, y_test])
    expected = gzsl_scores(y_all, clf.predict(X_all), seen_classes=clf.seen_classes_)
    assert gzsl_scorer(clf, X_all, y_all) == pytest.approx(expected)
    frame = pd.DataFrame(X_all)
    assert gzsl_scorer(clf, frame, y_all) == pytest.approx(expected)
