"""Tests of the zero-shot scorers on a small deterministic estimator."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import pickle

import numpy as np
import pytest
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError, UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_zsl.base import SEMANTIC_PARAMETER_CONSTRAINTS, ZeroShotClassifierMixin
from sklearn_zsl.metrics import (
    AUSUCScorer,
    GZSLScorer,
    ZSLScorer,
    ausuc_score,
    ausuc_scorer,
    best_seen_penalty,
    gzsl_scorer,
    zsl_scorer,
)

CLASSES = np.array(["ant", "bee", "cat", "dog", "eel"])
SEEN = CLASSES[:3]
UNSEEN = CLASSES[3:]


class NearestSemantic(ZeroShotClassifierMixin, ClassifierMixin, BaseEstimator):
    """Least-squares map to the semantic space; the nearest class vector wins."""

    _parameter_constraints = {**SEMANTIC_PARAMETER_CONSTRAINTS}

    def __init__(self, class_semantics=None, seen_penalty=0.0):
        self.class_semantics = class_semantics
        self.seen_penalty = seen_penalty

    def _fit_model(self, X, y_ind):
        targets = self.class_semantics_.to_numpy()[y_ind]
        self.coef_ = np.linalg.lstsq(X, targets, rcond=None)[0]

    def _raw_scores(self, X):
        embedded = X @ self.coef_
        prototypes = self.class_semantics_.to_numpy()
        return -((embedded[:, None, :] - prototypes[None, :, :]) ** 2).sum(axis=2)


class NoScores(NearestSemantic):
    """Only ``predict(X, candidates=...)``: no decision_function."""

    @property
    def decision_function(self):
        raise AttributeError("NoScores has no decision_function")


class PredictOnly(NoScores):
    """A ``predict`` without ``candidates`` and no score method."""

    def predict(self, X):
        return super().predict(X)


class OneSeenClass(NearestSemantic):
    """Accepts a single seen class, giving a binary (1-D) decision_function."""

    _min_seen_classes = 1


def _make_data(n_per_class, seed):
    """Features drawn around a fixed linear image of each class's semantics."""
    rng = np.random.RandomState(seed)
    y = np.repeat(CLASSES, n_per_class)
    features = SEMANTICS_MATRIX[np.searchsorted(CLASSES, y)] @ PROJECTION
    return features + 0.9 * rng.normal(size=features.shape), y


_rng = np.random.RandomState(42)
SEMANTICS_MATRIX = _rng.normal(size=(CLASSES.size, 4))
PROJECTION = _rng.normal(size=(4, 6))
SEMANTICS = dict(zip(CLASSES, SEMANTICS_MATRIX, strict=True))
X_ALL, Y_ALL = _make_data(n_per_class=12, seed=0)
IS_TRAIN = np.isin(Y_ALL, SEEN) & (np.arange(Y_ALL.size) % 12 < 8)
X_TRAIN, Y_TRAIN = X_ALL[IS_TRAIN], Y_ALL[IS_TRAIN]
# Test: 4 held-out samples of each seen class and 12 of each unseen class.
X_TEST, Y_TEST = X_ALL[~IS_TRAIN], Y_ALL[~IS_TRAIN]


def _hand_per_class(y_true, y_pred, labels):
    """Per-class accuracy written as a plain loop."""
    return float(
        np.mean([np.mean(y_pred[y_true == label] == label) for label in labels])
    )


def _hand_gzsl(y_true, y_pred):
    seen_mask = np.isin(y_true, SEEN)
    acc_seen = _hand_per_class(y_true, y_pred, np.unique(y_true[seen_mask]))
    acc_unseen = _hand_per_class(y_true, y_pred, np.unique(y_true[~seen_mask]))
    h_score = 2 * acc_seen * acc_unseen / (acc_seen + acc_unseen)
    return {"acc_seen": acc_seen, "acc_unseen": acc_unseen, "H": h_score}


@pytest.fixture(scope="module")
def clf():
    return NearestSemantic(SEMANTICS).fit(X_TRAIN, Y_TRAIN)


@pytest.fixture(scope="module")
def pipe():
    return make_pipeline(StandardScaler(), NearestSemantic(SEMANTICS)).fit(
        X_TRAIN, Y_TRAIN
    )


def test_fixture_is_not_degenerate(clf):
    """Check the toy problem gives accuracies strictly between 0 and 1."""
    assert_scores = _hand_gzsl(Y_TEST, clf.predict(X_TEST))
    for value in assert_scores.values():
        assert 0.1 < value < 0.95
    assert list(clf.unseen_classes_) == list(UNSEEN)


@pytest.mark.parametrize("model", ["clf", "pipe"])
def test_zsl_scorer_matches_hand_computation(model, request):
    """Check ZSL accuracy against predictions restricted to unseen classes."""
    model = request.getfixturevalue(model)
    is_unseen = np.isin(Y_TEST, UNSEEN)
    y_pred = model.predict(X_TEST, candidates=UNSEEN)
    assert set(y_pred) <= set(UNSEEN)
    expected = _hand_per_class(Y_TEST[is_unseen], y_pred[is_unseen], UNSEEN)
    assert zsl_scorer(model, X_TEST, Y_TEST) == pytest.approx(expected)
    # Only the unseen classes present are candidates: with eel alone, any model
    # would score 1.0, so the score is NaN with a warning.
    is_eel = Y_TEST == "eel"
    with pytest.warns(UndefinedMetricWarning, match="single unseen class"):
        assert np.isnan(zsl_scorer(model, X_TEST[is_eel], Y_TEST[is_eel]))


@pytest.mark.parametrize("model", ["clf", "pipe"])
def test_gzsl_scorer_matches_hand_computation(model, request):
    """Check the dict scorer against hand-computed GZSL accuracies."""
    model = request.getfixturevalue(model)
    expected = _hand_gzsl(Y_TEST, model.predict(X_TEST))
    scores = gzsl_scorer(model, X_TEST, Y_TEST)
    assert list(scores) == ["acc_seen", "acc_unseen", "H"]
    assert scores == pytest.approx(expected)


@pytest.mark.parametrize("model", ["clf", "pipe"])
def test_ausuc_scorer_matches_metric(model, request):
    """Check the AUSUC scorer equals ausuc_score on decision_function."""
    model = request.getfixturevalue(model)
    final = model[-1] if isinstance(model, Pipeline) else model
    expected = ausuc_score(
        Y_TEST,
        model.decision_function(X_TEST),
        classes=final.classes_,
        seen_classes=final.seen_classes_,
    )
    assert 0.0 < expected < 1.0
    assert ausuc_scorer(model, X_TEST, Y_TEST) == pytest.approx(expected)


def test_scorers_with_metadata_routing(pipe):
    """Check the scorers on a Pipeline do not depend on metadata routing."""
    expected = [scorer(pipe, X_TEST, Y_TEST) for scorer in (zsl_scorer, ausuc_scorer)]
    with config_context(enable_metadata_routing=True):
        routed = [scorer(pipe, X_TEST, Y_TEST) for scorer in (zsl_scorer, ausuc_scorer)]
    assert routed == expected


def test_scorers_read_nested_pipeline(clf):
    """Check the seen classes are found in the last step of a nested Pipeline."""
    nested = Pipeline([("inner", Pipeline([("model", clf)]))])
    assert gzsl_scorer(nested, X_TEST, Y_TEST) == gzsl_scorer(clf, X_TEST, Y_TEST)
    assert zsl_scorer(nested, X_TEST, Y_TEST) == zsl_scorer(clf, X_TEST, Y_TEST)


def test_seen_penalty_affects_only_gzsl(clf):
    """Check seen_penalty changes the GZSL scores but not ZSL accuracy or AUSUC."""
    # set_params on the fitted model: the penalty needs no refit
    penalised = copy.deepcopy(clf).set_params(seen_penalty=1e6)
    scores = gzsl_scorer(penalised, X_TEST, Y_TEST)
    # Every sample is now predicted as an unseen class.
    expected_unseen = _hand_per_class(
        Y_TEST, penalised.predict(X_TEST), np.array(UNSEEN)
    )
    assert scores["acc_seen"] == 0.0
    assert scores["H"] == 0.0
    assert scores["acc_unseen"] == pytest.approx(expected_unseen)
    for scorer in (zsl_scorer, ausuc_scorer):
        assert scorer(penalised, X_TEST, Y_TEST) == pytest.approx(
            scorer(clf, X_TEST, Y_TEST)
        )


def test_best_seen_penalty_tunes_a_fitted_model(clf):
    """Check the penalty chosen on the curve gives the best H without refit."""
    gamma = best_seen_penalty(
        Y_TEST,
        clf.decision_function(X_TEST),
        classes=clf.classes_,
        seen_classes=clf.seen_classes_,
    )
    tuned = copy.deepcopy(clf).set_params(seen_penalty=gamma)
    h_tuned = gzsl_scorer(tuned, X_TEST, Y_TEST)["H"]
    # Brute force over a fine grid of penalties.
    h_grid = [
        gzsl_scorer(copy.deepcopy(clf).set_params(seen_penalty=p), X_TEST, Y_TEST)["H"]
        for p in np.linspace(-5, 5, 201)
    ]
    assert h_tuned == pytest.approx(max(h_grid))
    assert h_tuned > gzsl_scorer(clf, X_TEST, Y_TEST)["H"]


def test_scorers_on_folds_missing_a_side(clf):
    """Check NaN for the side without samples, and ZSL raising without unseen."""
    is_unseen = np.isin(Y_TEST, UNSEEN)
    X_unseen, y_unseen = X_TEST[is_unseen], Y_TEST[is_unseen]
    scores = gzsl_scorer(clf, X_unseen, y_unseen)
    expected = _hand_per_class(y_unseen, clf.predict(X_unseen), UNSEEN)
    assert np.isnan(scores["acc_seen"]) and np.isnan(scores["H"])
    assert scores["acc_unseen"] == pytest.approx(expected)
    assert np.isnan(ausuc_scorer(clf, X_unseen, y_unseen))

    X_seen, y_seen = X_TEST[~is_unseen], Y_TEST[~is_unseen]
    scores = gzsl_scorer(clf, X_seen, y_seen)
    assert np.isnan(scores["acc_unseen"]) and np.isnan(scores["H"])
    assert 0.0 < scores["acc_seen"] <= 1.0
    assert np.isnan(ausuc_scorer(clf, X_seen, y_seen))
    with pytest.raises(ValueError, match="no sample of an unseen class"):
        zsl_scorer(clf, X_seen, y_seen)


@pytest.mark.parametrize("scorer", [zsl_scorer, gzsl_scorer, ausuc_scorer])
@pytest.mark.parametrize("replaced", ["eel", "ant"])
def test_scorers_agree_on_unknown_test_class(clf, scorer, replaced):
    """Check that every scorer rejects a test class unknown to the estimator.

    Issue 13: gzsl_scorer counted it as an unseen class of accuracy 0 while
    the other two raised. A seen or an unseen class replaced by it alike.
    """
    y_bad = np.where(Y_TEST == replaced, "fox", Y_TEST)
    with pytest.raises(ValueError, match=r"y_true has classes \['fox'\] unknown"):
        scorer(clf, X_TEST, y_bad)


def test_scorers_check_y_true(clf):
    """Check malformed y_true is reported by every scorer."""
    for scorer in (zsl_scorer, gzsl_scorer, ausuc_scorer):
        with pytest.raises(ValueError, match="y_true must be 1-D"):
            scorer(clf, X_TEST, Y_TEST[:, None])
    with pytest.raises(ValueError, match="different lengths"):
        gzsl_scorer(clf, X_TEST, Y_TEST[:-1])


@pytest.mark.parametrize("scorer", [zsl_scorer, gzsl_scorer, ausuc_scorer])
def test_scorers_reject_non_zero_shot_estimators(scorer):
    """Check an unfitted or ordinary classifier is rejected with a clear error."""
    with pytest.raises(NotFittedError):
        scorer(NearestSemantic(SEMANTICS), X_TEST, Y_TEST)
    logreg = LogisticRegression().fit(X_TRAIN, Y_TRAIN)
    err_msg = f"{scorer!r} needs a fitted zero-shot classifier exposing classes_"
    with pytest.raises(
        TypeError, match=err_msg.replace("(", r"\(").replace(")", r"\)")
    ):
        scorer(logreg, X_TEST, Y_TEST)
    passthrough = Pipeline([("scale", StandardScaler()), ("last", "passthrough")])
    with pytest.raises(TypeError, match="got str"):
        scorer(passthrough.fit(X_TRAIN), X_TEST, Y_TEST)


def test_zsl_scorer_falls_back_on_predict_candidates(clf):
    """Check an estimator without scores is asked for predict(X, candidates)."""
    no_scores = NoScores(SEMANTICS).fit(X_TRAIN, Y_TRAIN)
    assert not hasattr(no_scores, "decision_function")
    assert zsl_scorer(no_scores, X_TEST, Y_TEST) == zsl_scorer(clf, X_TEST, Y_TEST)
    with pytest.raises(TypeError, match="needs decision_function or predict_proba"):
        ausuc_scorer(no_scores, X_TEST, Y_TEST)
    predict_only = PredictOnly(SEMANTICS).fit(X_TRAIN, Y_TRAIN)
    err_msg = r"needs decision_function, predict_proba or predict\(X, candidates"
    with pytest.raises(TypeError, match=err_msg):
        zsl_scorer(predict_only, X_TEST, Y_TEST)


def test_scorers_with_binary_decision_function():
    """Check a 1-D decision_function (two classes) is read as columns [0, s]."""
    semantics = {"ant": SEMANTICS["ant"], "dog": SEMANTICS["dog"]}
    is_two = np.isin(Y_TEST, ["ant", "dog"])
    X_two, y_two = X_TEST[is_two], Y_TEST[is_two]
    binary = OneSeenClass(semantics).fit(X_TRAIN[Y_TRAIN == "ant"], ["ant"] * 8)
    decision = binary.decision_function(X_two)
    assert decision.ndim == 1
    # margin = score(ant) - score(dog) = -decision; ant samples switch to dog
    # late when their decision is low, so AUSUC is the ROC AUC of -decision.
    expected = ausuc_score(
        y_two, decision, classes=binary.classes_, seen_classes=["ant"]
    )
    assert ausuc_scorer(binary, X_two, y_two) == pytest.approx(expected)
    # a single unseen class present: any model would score 1.0, so NaN
    with pytest.warns(UndefinedMetricWarning, match="single unseen class"):
        assert np.isnan(zsl_scorer(binary, X_two, y_two))


@pytest.mark.parametrize(
    "scorer, cls, text",
    [
        (zsl_scorer, ZSLScorer, "ZSLScorer()"),
        (gzsl_scorer, GZSLScorer, "GZSLScorer()"),
        (ausuc_scorer, AUSUCScorer, "AUSUCScorer()"),
    ],
)
def test_scorer_repr_and_pickle(scorer, cls, text, clf):
    """Check the readable repr and that a pickled scorer scores the same."""
    assert isinstance(scorer, cls)
    assert repr(scorer) == text
    restored = pickle.loads(pickle.dumps(scorer))
    assert type(restored) is cls
    assert restored(clf, X_TEST, Y_TEST) == scorer(clf, X_TEST, Y_TEST)


def _class_disjoint_folds():
    """Two folds, each holding out two classes and a third of the seen ones."""
    index = np.arange(Y_ALL.size)
    held_out_share = index % 12 >= 8
    folds = []
    for unseen in (["dog", "eel"], ["ant", "bee"]):
        is_unseen = np.isin(Y_ALL, unseen)
        folds.append(
            (index[~is_unseen & ~held_out_share], index[is_unseen | held_out_share])
        )
    return folds


def test_grid_search_refits_on_harmonic_mean():
    """Check GridSearchCV with the dict scorer and refit="H" by hand."""
    folds = _class_disjoint_folds()
    penalties = [-1.0, 0.0, 1.5, 50.0]
    search = GridSearchCV(
        NearestSemantic(SEMANTICS),
        {"seen_penalty": penalties},
        scoring=gzsl_scorer,
        refit="H",
        cv=folds,
    ).fit(X_ALL, Y_ALL)

    mean_h = []
    for penalty in penalties:
        fold_h = []
        for train, test in folds:
            model = NearestSemantic(SEMANTICS, seen_penalty=penalty)
            model.fit(X_ALL[train], Y_ALL[train])
            seen_mask = np.isin(Y_ALL[test], model.seen_classes_)
            y_pred = model.predict(X_ALL[test])
            acc_seen = _hand_per_class(
                Y_ALL[test], y_pred, np.unique(Y_ALL[test][seen_mask])
            )
            acc_unseen = _hand_per_class(
                Y_ALL[test], y_pred, np.unique(Y_ALL[test][~seen_mask])
            )
            total = acc_seen + acc_unseen
            fold_h.append(0.0 if total == 0 else 2 * acc_seen * acc_unseen / total)
        mean_h.append(np.mean(fold_h))

    assert {"mean_test_acc_seen", "mean_test_acc_unseen", "mean_test_H"} <= set(
        search.cv_results_
    )
    np.testing.assert_allclose(search.cv_results_["mean_test_H"], mean_h)
    # a moderate penalty wins here: 1.5, neither no penalty nor a huge one
    assert np.argmax(mean_h) == 2
    assert search.best_params_ == {"seen_penalty": 1.5}
    assert search.best_score_ == pytest.approx(max(mean_h))
    assert list(search.best_estimator_.seen_classes_) == list(CLASSES)


def test_cross_validation_on_pure_zero_shot_folds():
    """Check a fold without seen-class test samples gives NaN, not a crash."""
    index = np.arange(Y_ALL.size)
    folds = [
        (index[~np.isin(Y_ALL, unseen)], index[np.isin(Y_ALL, unseen)])
        for unseen in (["dog", "eel"], ["ant", "bee"])
    ]
    with pytest.warns(UserWarning, match="non-finite"):
        search = GridSearchCV(
            NearestSemantic(SEMANTICS),
            {"seen_penalty": [0.0, 1.0]},
            scoring=gzsl_scorer,
            refit="H",
            cv=folds,
        ).fit(X_ALL, Y_ALL)
    assert np.isnan(search.cv_results_["mean_test_H"]).all()
    assert np.isfinite(search.cv_results_["mean_test_acc_unseen"]).all()

    results = cross_validate(
        NearestSemantic(SEMANTICS),
        X_ALL,
        Y_ALL,
        cv=folds,
        scoring={"zsl": zsl_scorer, "ausuc": ausuc_scorer},
    )
    assert np.isnan(results["test_ausuc"]).all()
    for (train, test), score in zip(folds, results["test_zsl"], strict=True):
        model = NearestSemantic(SEMANTICS).fit(X_ALL[train], Y_ALL[train])
        candidates = np.unique(Y_ALL[test])
        y_pred = model.predict(X_ALL[test], candidates=candidates)
        expected = _hand_per_class(Y_ALL[test], y_pred, candidates)
        assert score == pytest.approx(expected)
