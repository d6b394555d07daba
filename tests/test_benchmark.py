"""Tests of the benchmark package behind the command (sklearn_zsl._benchmark)."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.model_selection import GridSearchCV

from sklearn_zsl import SAEClassifier
from sklearn_zsl._benchmark import load_benchmark_dataset, make_task
from sklearn_zsl._benchmark.run import _search, _validate
from sklearn_zsl.metrics import best_seen_penalty, gzsl_scores


@pytest.fixture(scope="module")
def task():
    data = load_benchmark_dataset("synthetic", quick=True, random_state=0)
    return make_task(data, random_state=0)


def test_make_task_cuts_trainval_folds_and_test(task):
    """Check that the folds index trainval and the test part is the rest."""
    assert task.X_train.shape[0] == task.y_train.shape[0] == 1440
    assert task.X_test.shape[0] == task.y_test.shape[0] == 360 + 600
    for train, val in task.cv:
        assert np.intersect1d(train, val).size == 0
        assert train.max() < 1440 and val.max() < 1440
    assert task.info["n_trainval"] == 1440


def test_validation_leaves_the_seen_penalty_out_of_the_scores(task):
    """Check that validation returns scores only, and the penalty beside them.

    Issue 14: the validation scorer returned the penalty chosen on each fold
    among its scores, so the search recorded and ranked it as a score.
    """
    train, val = task.cv[0]
    clf = SAEClassifier(class_semantics=task.class_semantics, seen_penalty=0.0)
    clf.fit(task.X_train[train], task.y_train[train])
    X_val, y_val = task.X_train[val], task.y_train[val]
    scores, penalty = _validate(clf, X_val, y_val)
    assert set(scores) == {"zsl", "ausuc", "H"}
    seen = {"classes": clf.classes_, "seen_classes": clf.seen_classes_}
    assert penalty == best_seen_penalty(y_val, clf.decision_function(X_val), **seen)
    # the calibrated H is the one that penalty gives
    clf.set_params(seen_penalty=penalty)
    y_pred = clf.predict(X_val)
    h_score = gzsl_scores(y_val, y_pred, seen_classes=clf.seen_classes_)["H"]
    assert_allclose(scores["H"], h_score)


def test_search_selects_as_grid_search_and_keeps_the_best_penalties(task):
    """Check the written-out search against GridSearchCV on the same scores.

    It chooses the same candidate with the same mean scores, and returns the
    penalties chosen on the folds of that candidate.
    """
    model = SAEClassifier(class_semantics=task.class_semantics, seen_penalty=0.0)
    grid = {"alpha": [0.01, 1.0, 100.0]}
    search = _search(model, grid, task.X_train, task.y_train, task.cv, n_jobs=None)
    reference = GridSearchCV(
        model,
        grid,
        scoring=lambda estimator, X, y: _validate(estimator, X, y)[0],
        refit="H",
        cv=task.cv,
    ).fit(task.X_train, task.y_train)
    assert not any("seen_penalty" in key for key in reference.cv_results_)
    assert search.best_params == reference.best_params_
    best = reference.best_index_
    for key in ("zsl", "ausuc", "H"):
        assert_allclose(
            search.scores[key], reference.cv_results_[f"mean_test_{key}"][best]
        )
    assert_allclose(
        search.best_estimator.decision_function(task.X_test),
        reference.best_estimator_.decision_function(task.X_test),
    )
    penalties = []
    for train, val in task.cv:
        fitted = model.set_params(**search.best_params).fit(
            task.X_train[train], task.y_train[train]
        )
        penalties.append(_validate(fitted, task.X_train[val], task.y_train[val])[1])
    assert search.seen_penalties == penalties
