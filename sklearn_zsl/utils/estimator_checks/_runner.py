"""Running the zero-shot checks: all on one estimator, or one per pytest test."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from unittest import SkipTest

from sklearn.base import BaseEstimator

from sklearn_zsl.utils.estimator_checks._meta_estimators import (
    check_metadata_routing,
    check_semantics_intact_in_grid_search,
)
from sklearn_zsl.utils.estimator_checks._model import (
    check_failed_fit_leaves_estimator_unfitted,
    check_fit_is_reproducible,
    check_fitted_attributes,
    check_persistence_round_trip,
    check_predict_candidates,
    check_seen_penalty_without_refit,
)
from sklearn_zsl.utils.estimator_checks._semantics import (
    check_class_semantics_forms,
    check_class_semantics_in_fit_or_constructor,
    check_fit_without_class_semantics,
    check_missing_class_semantics,
    check_relabelling_invariance,
    check_semantics_row_order_invariance,
)

if TYPE_CHECKING:  # pytest is needed by parametrize_with_zsl_checks only
    import pytest

#: every check, in the order they run: the fitted model first, then the ways
#: semantics are taken, then the model's use, then the meta-estimators
_ZSL_CHECKS = (
    check_fitted_attributes,
    check_fit_without_class_semantics,
    check_missing_class_semantics,
    check_class_semantics_forms,
    check_class_semantics_in_fit_or_constructor,
    check_semantics_row_order_invariance,
    check_relabelling_invariance,
    check_failed_fit_leaves_estimator_unfitted,
    check_predict_candidates,
    check_seen_penalty_without_refit,
    check_persistence_round_trip,
    check_fit_is_reproducible,
    check_semantics_intact_in_grid_search,
    check_metadata_routing,
)
_CHECK_NAMES = tuple(check.__name__ for check in _ZSL_CHECKS)


def _check_expected_failures(expected):
    unknown = sorted(set(expected) - set(_CHECK_NAMES))
    if unknown:
        raise ValueError(
            f"Unknown checks {unknown} in expected_failed_checks; the zero-shot "
            f"checks are {list(_CHECK_NAMES)}."
        )
    return expected


def _estimator_id(estimator):
    return re.sub(r"\s", "", str(estimator))


def check_zsl_estimator(
    estimator: BaseEstimator, *, expected_failed_checks: dict[str, str] | None = None
) -> None:
    """Run every zero-shot contract check on an estimator.

    The checks complement scikit-learn's
    :func:`~sklearn.utils.estimator_checks.check_estimator`, which calls
    ``fit(X, y)`` without semantics. The first failing check raises.

    Read more in the :ref:`User Guide <zsl_estimator_checks>`.

    Parameters
    ----------
    estimator : estimator object
        Unfitted zero-shot classifier: ``fit(X, y, class_semantics=None)``,
        ``decision_function``, ``predict(X, *, candidates=None)``, and the
        parameters ``class_semantics`` and ``seen_penalty``. The checks fit
        clones of it, with an int ``random_state`` where it has one.
    expected_failed_checks : dict, default=None
        ``{check name: reason}`` of checks not to run, each with the reason
        why the estimator fails it.

    Raises
    ------
    AssertionError
        If a check fails; the message names the check and the broken rule.

    See Also
    --------
    parametrize_with_zsl_checks : The same checks, one pytest test each.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import check_zsl_estimator
    >>> check_zsl_estimator(ESZSLClassifier())
    """
    expected = _check_expected_failures(expected_failed_checks or {})
    name = type(estimator).__name__
    for check in _ZSL_CHECKS:
        if check.__name__ in expected:
            continue
        try:
            check(name, estimator)
        except SkipTest as exc:
            warnings.warn(f"{check.__name__} skipped: {exc}", UserWarning, stacklevel=2)


def parametrize_with_zsl_checks(
    estimators: Iterable[BaseEstimator],
    *,
    expected_failed_checks: Callable[[BaseEstimator], dict[str, str]] | None = None,
) -> pytest.MarkDecorator:
    """Pytest decorator parametrizing a test with every zero-shot check.

    The zero-shot counterpart of scikit-learn's
    :func:`~sklearn.utils.estimator_checks.parametrize_with_checks`: the
    decorated test receives ``estimator`` and ``check`` and calls
    ``check(estimator)``, once per estimator and check, with ids such as
    ``ESZSLClassifier()-check_predict_candidates``. pytest is imported only
    when this function is called.

    Read more in the :ref:`User Guide <zsl_estimator_checks>`.

    Parameters
    ----------
    estimators : list of estimator objects
        Unfitted zero-shot classifiers to check.
    expected_failed_checks : callable, default=None
        A function of an estimator returning ``{check name: reason}``; those
        checks are marked ``xfail`` (strict: a check that passes fails the
        test, so that the list stays up to date).

    Returns
    -------
    decorator : pytest.mark.parametrize
        The parametrize mark, to use as a decorator.

    See Also
    --------
    check_zsl_estimator : Run the checks on one estimator.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import parametrize_with_zsl_checks
    >>> @parametrize_with_zsl_checks([ESZSLClassifier()])
    ... def test_zero_shot_contract(estimator, check):
    ...     check(estimator)
    """
    import pytest

    params = []
    for estimator in estimators:
        name = type(estimator).__name__
        expected = {}
        if expected_failed_checks is not None:
            expected = _check_expected_failures(expected_failed_checks(estimator))
        for check in _ZSL_CHECKS:
            reason = expected.get(check.__name__)
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            params.append(
                pytest.param(
                    estimator,
                    functools.partial(check, name),
                    id=f"{_estimator_id(estimator)}-{check.__name__}",
                    marks=marks,
                )
            )
    return pytest.mark.parametrize("estimator, check", params)
