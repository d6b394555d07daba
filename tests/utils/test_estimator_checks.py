"""Tests of the zero-shot contract checks: they pass a correct estimator and fail
deliberately broken ones, each on the check of the rule it breaks.

The estimators here are written without :class:`~sklearn_zsl.ZeroShotClassifierMixin`,
as a user's own zero-shot classifier would be, so that the checks are shown to
test behaviour, not the mixin.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from sklearn_zsl import ClassSemantics, check_class_semantics
from sklearn_zsl.utils import estimator_checks
from sklearn_zsl.utils.estimator_checks import (
    check_class_semantics_forms,
    check_class_semantics_in_fit_or_constructor,
    check_failed_fit_leaves_estimator_unfitted,
    check_fit_is_reproducible,
    check_fit_without_class_semantics,
    check_fitted_attributes,
    check_metadata_routing,
    check_missing_class_semantics,
    check_persistence_round_trip,
    check_predict_candidates,
    check_relabelling_invariance,
    check_seen_penalty_without_refit,
    check_semantics_intact_in_grid_search,
    check_semantics_row_order_invariance,
    check_zsl_estimator,
    parametrize_with_zsl_checks,
)


class _NearestClassVectorBase(ClassifierMixin, BaseEstimator):
    """Ridge regression from features to class vectors; nearest class vector wins.

    The whole zero-shot contract but the default metadata request of ``fit``.
    """

    def __init__(self, class_semantics=None, *, seen_penalty=0.0, alpha=1.0):
        self.class_semantics = class_semantics
        self.seen_penalty = seen_penalty
        self.alpha = alpha

    def fit(self, X, y, class_semantics=None):
        try:
            X, y = validate_data(self, X, y)
            check_classification_targets(y)
            semantics = self._semantics(y, self._source(class_semantics))
            self.classes_ = semantics.labels
            self.class_semantics_ = semantics
            self.seen_classes_ = np.unique(y)
            self.unseen_classes_ = np.setdiff1d(self.classes_, self.seen_classes_)
            self._fit_coef(X, y)
        except Exception:
            self._forget_fit()
            raise
        return self

    def _source(self, class_semantics):
        return self.class_semantics if class_semantics is None else class_semantics

    def _semantics(self, y, source):
        if source is None:
            labels = np.unique(y)
            return ClassSemantics(labels, np.eye(labels.size))
        semantics = check_class_semantics(source, y=y)
        return semantics.select(np.unique(semantics.labels))

    def _fit_coef(self, X, y):
        targets = self.class_semantics_.to_numpy()[np.searchsorted(self.classes_, y)]
        gram = X.T @ X + self.alpha * np.eye(X.shape[1])
        self.coef_ = np.linalg.solve(gram, X.T @ targets)

    def _forget_fit(self):
        for name in [name for name in vars(self) if name.endswith("_")]:
            delattr(self, name)

    def _penalty(self):
        if not np.isfinite(self.seen_penalty):
            raise ValueError(f"seen_penalty must be finite, got {self.seen_penalty}.")
        return self.seen_penalty

    def decision_function(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        S = self.class_semantics_.to_numpy()
        scores = -(((X @ self.coef_)[:, None, :] - S[None]) ** 2).sum(axis=-1)
        return scores - self._penalty() * np.isin(self.classes_, self.seen_classes_)

    def predict(self, X, *, candidates=None):
        scores = self.decision_function(X)
        if candidates is not None:
            unknown = np.setdiff1d(candidates, self.classes_)
            if unknown.size:
                raise ValueError(f"Unknown candidates {unknown}.")
            scores = np.where(np.isin(self.classes_, candidates), scores, -np.inf)
        return self.classes_[np.argmax(scores, axis=1)]


class NearestClassVector(_NearestClassVectorBase):
    """The complete contract."""

    __metadata_request__fit = {"class_semantics": True}


# -- deliberately broken estimators, each breaking one rule ---------------------------
class DropsUnseenClasses(NearestClassVector):
    """Keeps the semantics of the seen classes only."""

    def _semantics(self, y, source):
        return super()._semantics(y, source).select(np.unique(y))


class NeedsClassSemantics(NearestClassVector):
    """Refuses to fit without class semantics."""

    def _semantics(self, y, source):
        if source is None:
            raise ValueError("class_semantics is required.")
        return super()._semantics(y, source)


class ZeroFillsMissingSemantics(NearestClassVector):
    """Gives a class of y without semantics a zero vector instead of failing."""

    def _semantics(self, y, source):
        if source is None:
            return super()._semantics(y, source)
        given = check_class_semantics(source)
        missing = np.setdiff1d(y, given.labels)
        labels = np.concatenate([given.labels, missing])
        matrix = np.vstack([given.to_numpy(), np.zeros((missing.size, given.n_dims))])
        return super()._semantics(y, ClassSemantics(labels, matrix))


class OnlyClassSemanticsObjects(NearestClassVector):
    """Rejects class semantics given as a DataFrame or a dict."""

    def _semantics(self, y, source):
        if source is not None and not isinstance(source, ClassSemantics):
            raise TypeError("class_semantics must be a ClassSemantics.")
        return super()._semantics(y, source)


class IgnoresConstructorSemantics(NearestClassVector):
    """Uses only the semantics given to fit."""

    def _source(self, class_semantics):
        return class_semantics


class ConstructorSemanticsWin(NearestClassVector):
    """Prefers the constructor's semantics to those given to fit."""

    def _source(self, class_semantics):
        return class_semantics if self.class_semantics is None else self.class_semantics


class IgnoresRowOrder(NearestClassVector):
    """Sorts the labels but takes the vectors in the row order given."""

    def _semantics(self, y, source):
        semantics = super()._semantics(y, source)
        if source is None:
            return semantics
        given = check_class_semantics(source).to_numpy()
        return ClassSemantics(semantics.labels, given)


class LabelsAsRowIndices(NearestClassVector):
    """Takes the labels of y as row numbers of the semantics (0, 1, 2...)."""

    def _fit_coef(self, X, y):
        targets = self.class_semantics_.to_numpy()[y.astype(int)]
        self.coef_ = np.linalg.lstsq(X, targets, rcond=None)[0]


class KeepsHalfFitted(NearestClassVector):
    """Leaves whatever it had fitted when fit fails."""

    def _forget_fit(self):
        pass


class IgnoresCandidates(NearestClassVector):
    """Searches every class whatever the candidates."""

    def predict(self, X, *, candidates=None):
        return super().predict(X)


class PenaltyReadAtFit(NearestClassVector):
    """Reads seen_penalty at fit only: changing it later needs a refit."""

    def fit(self, X, y, class_semantics=None):
        self.fit_penalty_ = self.seen_penalty
        return super().fit(X, y, class_semantics=class_semantics)

    def _penalty(self):
        return self.fit_penalty_


class LowPrecisionPickle(NearestClassVector):
    """Pickles its coefficients in float16."""

    def __getstate__(self):
        state = super().__getstate__()
        if "coef_" in state:
            state["coef_"] = state["coef_"].astype(np.float16)
        return state


class NotReproducible(NearestClassVector):
    """Perturbs its coefficients with numpy's global, unseeded generator."""

    def _fit_coef(self, X, y):
        super()._fit_coef(X, y)
        self.coef_ = self.coef_ + 1e-2 * np.random.standard_normal(self.coef_.shape)


class ValidatesInInit(NearestClassVector):
    """Normalises class_semantics in __init__, so that clone cannot copy it."""

    def __init__(self, class_semantics=None, *, seen_penalty=0.0, alpha=1.0):
        if class_semantics is not None:
            class_semantics = check_class_semantics(class_semantics, normalize="l2")
        super().__init__(class_semantics, seen_penalty=seen_penalty, alpha=alpha)


class NoDefaultRequest(_NearestClassVectorBase):
    """Does not declare that fit requests class_semantics."""


BROKEN = [
    (DropsUnseenClasses, check_fitted_attributes, r"classes_ must be every label"),
    (NeedsClassSemantics, check_fit_without_class_semantics, "is required"),
    (ZeroFillsMissingSemantics, check_missing_class_semantics, "accepted a class"),
    (OnlyClassSemanticsObjects, check_class_semantics_forms, "TypeError"),
    (
        IgnoresConstructorSemantics,
        check_class_semantics_in_fit_or_constructor,
        "ignores the class_semantics constructor parameter",
    ),
    (
        ConstructorSemanticsWin,
        check_class_semantics_in_fit_or_constructor,
        "the fit argument must win",
    ),
    (IgnoresRowOrder, check_semantics_row_order_invariance, "not by position"),
    (LabelsAsRowIndices, check_relabelling_invariance, "ValueError: invalid literal"),
    (KeepsHalfFitted, check_failed_fit_leaves_estimator_unfitted, "half-fitted"),
    (IgnoresCandidates, check_predict_candidates, "which are not candidates"),
    (PenaltyReadAtFit, check_seen_penalty_without_refit, "set after fit must lower"),
    (LowPrecisionPickle, check_persistence_round_trip, "changed in a pickle round"),
    (NotReproducible, check_fit_is_reproducible, "gives other scores in a refit"),
    (
        ValidatesInInit,
        check_semantics_intact_in_grid_search,
        "RuntimeError: Cannot clone object",
    ),
    (NoDefaultRequest, check_metadata_routing, "must request class_semantics"),
]


def test_a_correct_estimator_written_without_the_mixin_passes_every_check():
    """Check that the checks test behaviour: a hand-written estimator passes."""
    check_zsl_estimator(NearestClassVector())


@pytest.mark.parametrize(
    "cls, check, err_msg", BROKEN, ids=[cls.__name__ for cls, _, _ in BROKEN]
)
def test_a_broken_estimator_fails_the_check_of_the_rule_it_breaks(cls, check, err_msg):
    """Check that each deliberately broken estimator fails its check, clearly."""
    with pytest.raises(AssertionError, match=err_msg):
        check(cls.__name__, cls())


def test_every_check_is_shown_to_fail():
    """Check that no check goes without a broken estimator that fails it."""
    shown = {check.__name__ for _, check, _ in BROKEN}
    assert shown == set(estimator_checks._runner._CHECK_NAMES)


def test_grid_search_check_catches_semantics_sliced_as_per_sample_data(monkeypatch):
    """Check that semantics with a length, which scikit-learn slices, fail the check.

    ClassSemantics has no ``__len__`` so that cross-validation never takes it
    for per-sample data (scikit-learn #15805); with one, it would be cut.
    """
    monkeypatch.setattr(
        ClassSemantics, "__len__", lambda self: self.n_classes, raising=False
    )
    with pytest.raises(AssertionError, match="check_semantics_intact_in_grid_search"):
        check_semantics_intact_in_grid_search(
            "NearestClassVector", NearestClassVector()
        )


def test_check_zsl_estimator_raises_naming_the_failed_check():
    """Check that the runner stops at a failing check, unless it is expected."""
    err_msg = (
        r"^check_predict_candidates failed for IgnoresCandidates: .* not candidates"
    )
    with pytest.raises(AssertionError, match=err_msg):
        check_zsl_estimator(IgnoresCandidates())
    check_zsl_estimator(
        IgnoresCandidates(),
        expected_failed_checks={"check_predict_candidates": "ignores candidates"},
    )


def test_unknown_expected_failed_check_is_an_error():
    """Check that a misspelt check name in expected_failed_checks is reported."""
    err_msg = r"Unknown checks \['check_predict'\] in expected_failed_checks"
    with pytest.raises(ValueError, match=err_msg):
        check_zsl_estimator(
            NearestClassVector(), expected_failed_checks={"check_predict": "x"}
        )
    with pytest.raises(ValueError, match=err_msg):
        parametrize_with_zsl_checks(
            [NearestClassVector()],
            expected_failed_checks=lambda estimator: {"check_predict": "x"},
        )


def test_parametrize_gives_one_test_per_estimator_and_check():
    """Check the ids and the strict xfail marks of parametrize_with_zsl_checks."""
    estimators = [NearestClassVector(), NearestClassVector(alpha=2.0)]
    mark = parametrize_with_zsl_checks(
        estimators,
        expected_failed_checks=lambda estimator: (
            {"check_fit_is_reproducible": "a reason"} if estimator.alpha == 2.0 else {}
        ),
    )
    names, params = mark.args
    assert names == "estimator, check"
    n_checks = len(estimator_checks._runner._CHECK_NAMES)
    assert len(params) == 2 * n_checks
    assert params[0].id == "NearestClassVector()-check_fitted_attributes"
    assert params[0].values[0] is estimators[0]
    assert params[0].values[1].func is check_fitted_attributes
    assert params[0].values[1].args == ("NearestClassVector",)
    xfails = {param.id: param.marks for param in params if param.marks}
    assert list(xfails) == ["NearestClassVector(alpha=2.0)-check_fit_is_reproducible"]
    (xfail,) = xfails.popitem()[1]
    assert xfail.name == "xfail"
    assert xfail.kwargs == {"reason": "a reason", "strict": True}


@parametrize_with_zsl_checks([NearestClassVector()])
def test_parametrize_with_zsl_checks_runs_the_checks(estimator, check):
    """Check that the decorator gives tests that run the checks."""
    check(estimator)


def test_estimator_checks_import_without_pytest():
    """Check that the module imports, and its checks run, where pytest is missing."""
    code = (
        "import sys; sys.modules['pytest'] = None\n"
        "from sklearn_zsl import ESZSLClassifier\n"
        "from sklearn_zsl.utils.estimator_checks import check_zsl_estimator\n"
        "check_zsl_estimator(ESZSLClassifier())\n"
        "import pytest\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    # only the last line, importing pytest itself, fails
    assert result.returncode == 1, result.stderr
    assert result.stderr.rstrip().endswith(
        "ModuleNotFoundError: import of pytest halted; None in sys.modules"
    ), result.stderr
