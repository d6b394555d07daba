"""Checks of the zero-shot estimator contract, for any zero-shot classifier.

scikit-learn's :func:`~sklearn.utils.estimator_checks.check_estimator` calls
``fit(X, y)`` only, so it sees a zero-shot classifier as an ordinary one. The
checks of this module pass class semantics and test what is particular to
zero-shot learning: unseen classes, the row order and labels of the semantics,
the two ways of passing them, restricted prediction, calibrated stacking,
persistence, and the way scikit-learn's meta-estimators forward the semantics.

Each ``check_*`` function takes the name of an estimator and an unfitted
instance, builds its own small data set, fits clones of the instance and
raises an ``AssertionError`` naming the broken rule. Run them all with
:func:`check_zsl_estimator`, or one per test with
:func:`parametrize_with_zsl_checks`.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

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
from sklearn_zsl.utils.estimator_checks._runner import (
    check_zsl_estimator,
    parametrize_with_zsl_checks,
)
from sklearn_zsl.utils.estimator_checks._semantics import (
    check_class_semantics_forms,
    check_class_semantics_in_fit_or_constructor,
    check_fit_without_class_semantics,
    check_missing_class_semantics,
    check_relabelling_invariance,
    check_semantics_row_order_invariance,
)

__all__ = [
    "check_class_semantics_forms",
    "check_class_semantics_in_fit_or_constructor",
    "check_failed_fit_leaves_estimator_unfitted",
    "check_fit_is_reproducible",
    "check_fit_without_class_semantics",
    "check_fitted_attributes",
    "check_metadata_routing",
    "check_missing_class_semantics",
    "check_persistence_round_trip",
    "check_predict_candidates",
    "check_relabelling_invariance",
    "check_semantics_intact_in_grid_search",
    "check_semantics_row_order_invariance",
    "check_seen_penalty_without_refit",
    "check_zsl_estimator",
    "parametrize_with_zsl_checks",
]
