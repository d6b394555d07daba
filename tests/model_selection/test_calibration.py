"""Tests of the seen-penalty calibration: calibrate_seen_penalty and "auto"."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle
import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_zsl import (
    ESZSLClassifier,
    GFZSLClassifier,
    SAEClassifier,
    ZeroShotClassifierMixin,
)
from sklearn_zsl.datasets import make_zsl_classification
from sklearn_zsl.metrics import best_seen_penalty, gzsl_scores, zsl_scorer
from sklearn_zsl.model_selection import (
    GZSLShuffleSplit,
    ZSLKFold,
    calibrate_seen_penalty,
    combine_seen_penalties,
)


@pytest.fixture(scope="module")
def task():
    """20 seen and 10 unseen classes; test set of seen and unseen samples."""
    X, y, semantics, unseen = make_zsl_classification(random_state=1)
    seen = ~np.isin(y, unseen)
    test_seen = seen & (np.random.RandomState(0).rand(y.size) < 0.2)
    train, test = seen & ~test_seen, ~seen | test_seen
    return X[train], y[train], X[test], y[test], semantics


def test_combine_seen_penalties_is_the_median():
    """Check the rule combining the penalties of several splits."""
    assert combine_seen_penalties([3.0, 0.5, 0.75]) == 0.75
    assert combine_seen_penalties([1.0, 2.0]) == 1.5
    assert combine_seen_penalties(np.array([[-2.0]])) == -2.0


@pytest.mark.parametrize("penalties", [[], [1.0, np.nan], [np.inf]])
def test_combine_seen_penalties_rejects_empty_and_non_finite(penalties):
    with pytest.raises(ValueError, match="non-empty array of finite numbers"):
        combine_seen_penalties(penalties)


def test_calibrate_seen_penalty_matches_the_splits_by_hand(task):
    """Check the result against fitting each split and best_seen_penalty."""
    X, y, _, _, semantics = task
    cv = GZSLShuffleSplit(n_splits=3, random_state=0)
    expected = []
    for train, val in cv.split(X, y):
        clf = ESZSLClassifier(seen_penalty=0.0)
        clf.fit(X[train], y[train], class_semantics=semantics)
        expected.append(
            best_seen_penalty(
                y[val],
                clf.decision_function(X[val]),
                classes=clf.classes_,
                seen_classes=clf.seen_classes_,
            )
        )
    # the estimator's own penalty is ignored: clones are scored at penalty 0
    got = calibrate_seen_penalty(
        ESZSLClassifier(seen_penalty=5.0), X, y, semantics, cv=cv
    )
    assert got == np.median(expected)
    assert got == calibrate_seen_penalty(ESZSLClassifier(), X, y, semantics)


def test_calibrate_seen_penalty_improves_gzsl(task):
    """Check that the chosen penalty beats no penalty on held-out test data."""
    X, y, X_test, y_test, semantics = task
    gamma = calibrate_seen_penalty(ESZSLClassifier(), X, y, semantics, cv=5)
    h = {}
    for penalty in (0.0, gamma):
        clf = ESZSLClassifier(seen_penalty=penalty)
        clf.fit(X, y, class_semantics=semantics)
        h[penalty] = gzsl_scores(
            y_test, clf.predict(X_test), seen_classes=clf.seen_classes_
        )["H"]
    assert gamma > 0
    assert h[gamma] > h[0.0] + 0.03


def test_calibrate_seen_penalty_through_a_pipeline(task):
    """Check that a Pipeline ending in a zero-shot classifier is calibrated."""
    X, y, _, _, semantics = task
    pipe = make_pipeline(StandardScaler(), ESZSLClassifier(seen_penalty=1.0))
    expected = calibrate_seen_penalty(
        make_pipeline(StandardScaler(), ESZSLClassifier()), X, y, semantics
    )
    assert calibrate_seen_penalty(pipe, X, y, semantics) == expected
    # the pipeline given is not fitted
    assert not hasattr(pipe[-1], "classes_")
    # with metadata routing, the semantics reach the last step unprefixed
    with config_context(enable_metadata_routing=True):
        assert calibrate_seen_penalty(pipe, X, y, semantics) == expected


def test_calibrate_seen_penalty_needs_held_out_classes(task):
    """Check the error when a validation set holds no held-out class."""
    X, y, _, _, semantics = task
    with pytest.raises(ValueError, match="holds out no seen class"):
        calibrate_seen_penalty(ESZSLClassifier(), X, y, semantics, cv=KFold(3))


def test_auto_chooses_the_penalty_of_calibrate_seen_penalty(task):
    """Check seen_penalty_ against the function on the same splits."""
    X, y, _, _, semantics = task
    clf = ESZSLClassifier(seen_penalty="auto").fit(X, y, class_semantics=semantics)
    # estimators without random_state (or with None) split with seed 0, on the
    # order in which the classes first appear in y (not on the labels)
    _, first, inverse = np.unique(y, return_index=True, return_inverse=True)
    codes = np.argsort(np.argsort(first))[inverse]
    cv = GZSLShuffleSplit(n_splits=5, unseen_size=4, random_state=0)
    splits = list(cv.split(X, codes))
    assert clf.seen_penalty_ == calibrate_seen_penalty(
        ESZSLClassifier(), X, y, semantics, cv=splits
    )
    reference = ESZSLClassifier(seen_penalty=clf.seen_penalty_)
    reference.fit(X, y, class_semantics=semantics)
    assert_array_equal(clf.predict(X), reference.predict(X))
    assert_array_equal(clf.decision_function(X), reference.decision_function(X))


@pytest.mark.parametrize(
    "make",
    [
        lambda seed: ESZSLClassifier(),
        lambda seed: SAEClassifier(),
        lambda seed: GFZSLClassifier(random_state=seed),
    ],
    ids=["ESZSL", "SAE", "GFZSL"],
)
def test_auto_improves_gzsl_over_no_penalty(task, make):
    """Check "auto" recovers most of the best H on the test seen-unseen curve."""
    X, y, X_test, y_test, semantics = task
    auto = make(0).set_params(seen_penalty="auto")
    auto.fit(X, y, class_semantics=semantics)
    zero = clone(auto).set_params(seen_penalty=0.0)
    zero.fit(X, y, class_semantics=semantics)
    h_auto = gzsl_scores(y_test, auto.predict(X_test), seen_classes=auto.seen_classes_)[
        "H"
    ]
    h_zero = gzsl_scores(y_test, zero.predict(X_test), seen_classes=zero.seen_classes_)[
        "H"
    ]
    gamma = best_seen_penalty(
        y_test,
        zero.decision_function(X_test),
        classes=zero.classes_,
        seen_classes=zero.seen_classes_,
    )
    y_pred = zero.set_params(seen_penalty=gamma).predict(X_test)
    h_best = gzsl_scores(y_test, y_pred, seen_classes=zero.seen_classes_)["H"]
    assert h_auto >= 0.8 * h_best
    assert h_auto >= h_zero


def test_auto_is_deterministic_and_survives_pickling(task):
    X, y, _, _, semantics = task
    first = GFZSLClassifier(seen_penalty="auto", random_state=0)
    first.fit(X, y, class_semantics=semantics)
    second = clone(first).fit(X, y, class_semantics=semantics)
    assert first.seen_penalty_ == second.seen_penalty_
    loaded = pickle.loads(pickle.dumps(first))
    assert_array_equal(loaded.predict(X), first.predict(X))


def test_number_after_auto_applies_without_refit(task):
    """Check that set_params(seen_penalty=number) after fit needs no refit."""
    X, y, _, _, semantics = task
    clf = ESZSLClassifier(seen_penalty="auto").fit(X, y, class_semantics=semantics)
    chosen = clf.seen_penalty_
    other = ESZSLClassifier(seen_penalty=chosen + 1.0)
    other.fit(X, y, class_semantics=semantics)
    clf.set_params(seen_penalty=chosen + 1.0)
    assert_array_equal(clf.decision_function(X), other.decision_function(X))
    assert clf.seen_penalty_ == chosen
    clf.set_params(seen_penalty="auto")
    other.set_params(seen_penalty=chosen)
    assert_array_equal(clf.predict(X), other.predict(X))


def test_auto_after_fit_with_a_number_asks_for_a_refit(task):
    X, y, _, _, semantics = task
    clf = ESZSLClassifier(seen_penalty=0.5).fit(X, y, class_semantics=semantics)
    assert clf.seen_penalty_ == 0.5
    clf.set_params(seen_penalty="auto")
    with pytest.raises(ValueError, match="fitted with seen_penalty=0.5; refit"):
        clf.predict(X)


def test_auto_without_unseen_classes_is_zero_and_fits_once():
    """Check that "auto" costs nothing when no class is unseen."""
    X, y, _, _ = make_zsl_classification(n_classes=6, n_unseen=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = ESZSLClassifier(seen_penalty="auto").fit(X, y)
    assert clf.seen_penalty_ == 0.0


@pytest.mark.parametrize("n_seen", [2, 3])
def test_auto_with_too_few_seen_classes_warns_and_uses_zero(n_seen):
    X, y, semantics, _ = make_zsl_classification(
        n_classes=n_seen + 2, n_unseen=2, random_state=0
    )
    train = y < n_seen
    clf = ESZSLClassifier(seen_penalty="auto")
    with pytest.warns(UserWarning, match="'auto' chooses the penalty by holding out"):
        clf.fit(X[train], y[train], class_semantics=semantics)
    assert clf.seen_penalty_ == 0.0


def test_auto_with_four_seen_classes_is_chosen():
    """Four seen classes are the fewest "auto" calibrates with (2 held out)."""
    X, y, semantics, _ = make_zsl_classification(
        n_classes=6, n_unseen=2, random_state=0
    )
    train = y < 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = ESZSLClassifier(seen_penalty="auto")
        clf.fit(X[train], y[train], class_semantics=semantics)
    assert np.isfinite(clf.seen_penalty_)


@pytest.mark.parametrize("bad", ["Auto", "none", [0.1]])
def test_seen_penalty_rejects_other_strings(task, bad):
    X, y, _, _, semantics = task
    with pytest.raises(ValueError, match="'seen_penalty' parameter of ESZSLClassifier"):
        ESZSLClassifier(seen_penalty=bad).fit(X, y, class_semantics=semantics)


def test_score_rule(task):
    """Check score: ZSL among present classes, H when mixed, accuracy when seen."""
    X, y, X_test, y_test, semantics = task
    clf = ESZSLClassifier().fit(X, y, class_semantics=semantics)
    unseen = np.isin(y_test, clf.unseen_classes_)
    assert clf.score(X_test[unseen], y_test[unseen]) == zsl_scorer(
        clf, X_test[unseen], y_test[unseen]
    )
    y_pred = clf.predict(X_test)
    assert (
        clf.score(X_test, y_test)
        == gzsl_scores(y_test, y_pred, seen_classes=clf.seen_classes_)["H"]
    )
    seen = ~unseen
    per_class = np.mean(
        [np.mean(y_pred[seen][y_test[seen] == c] == c) for c in np.unique(y_test[seen])]
    )
    assert clf.score(X_test[seen], y_test[seen]) == pytest.approx(per_class)


def test_score_errors(task):
    X, y, X_test, y_test, semantics = task
    clf = ESZSLClassifier().fit(X, y, class_semantics=semantics)
    with pytest.raises(ValueError, match="does not support sample_weight"):
        clf.score(X_test, y_test, sample_weight=np.ones(y_test.size))
    with pytest.raises(ValueError, match="unknown to the estimator"):
        clf.score(X_test, y_test + 1000)
    single = y_test == clf.unseen_classes_[0]
    with pytest.warns(UserWarning, match="single unseen class"):
        assert np.isnan(clf.score(X_test[single], y_test[single]))


def test_grid_search_without_scoring_picks_like_zsl_scorer(task):
    """Check that the default score ranks candidates like zsl_scorer."""
    X, y, _, _, semantics = task
    grid = {"alpha": [1e-3, 1.0, 1e3], "beta": [1e-3, 1e3]}
    searches = [
        GridSearchCV(ESZSLClassifier(), grid, cv=ZSLKFold(3), scoring=scoring).fit(
            X, y, class_semantics=semantics
        )
        for scoring in (None, zsl_scorer)
    ]
    default, zsl = searches
    assert default.best_params_ == zsl.best_params_
    assert_array_equal(
        default.cv_results_["mean_test_score"], zsl.cv_results_["mean_test_score"]
    )
    # the ranking is not trivial: the candidates score differently
    assert np.ptp(zsl.cv_results_["mean_test_score"]) > 0.05


class _NeverUnseen(ZeroShotClassifierMixin, ClassifierMixin, BaseEstimator):
    """Test double: nearest seen-class mean; among unseen classes always "zz"."""

    def __init__(self, class_semantics=None, *, seen_penalty=0.0):
        self.class_semantics = class_semantics
        self.seen_penalty = seen_penalty

    def _fit_model(self, X, y_ind):
        self.means_ = np.array([X[y_ind == k].mean(axis=0) for k in np.unique(y_ind)])
        self.seen_ind_ = np.unique(y_ind)

    def _raw_scores(self, X):
        scores = np.full((X.shape[0], self.classes_.size), -1e3)
        distances = ((X[:, None, :] - self.means_[None]) ** 2).sum(axis=-1)
        scores[:, self.seen_ind_] = -distances
        scores[:, self.classes_.tolist().index("zz")] = -1e2
        return scores


def test_splits_where_no_held_out_class_is_predicted_have_no_say():
    """Check the warning and 0.0 when H is 0 at every penalty of every split."""
    X, y, _, _ = make_zsl_classification(n_classes=8, n_unseen=1, random_state=0)
    labels = np.array([f"c{k}" for k in y])
    semantics = {label: np.ones(2) for label in [*np.unique(labels), "zz"]}
    with pytest.warns(UserWarning, match="No calibration split gives a positive"):
        gamma = calibrate_seen_penalty(_NeverUnseen(), X, labels, semantics)
    assert gamma == 0.0


def test_calibration_warnings_point_at_the_call_of_fit():
    """Check that a warning of "auto" inside fit names the caller's line."""
    X, y, _, _ = make_zsl_classification(n_classes=8, n_unseen=1, random_state=0)
    labels = np.array([f"c{k}" for k in y])
    semantics = {label: np.ones(2) for label in [*np.unique(labels), "zz"]}
    clf = _NeverUnseen(seen_penalty="auto")
    with pytest.warns(UserWarning, match="No calibration split") as record:
        clf.fit(X, labels, class_semantics=semantics)
    assert [warning.filename for warning in record] == [__file__]
    assert clf.seen_penalty_ == 0.0
