"""Metrics and scorers for zero-shot and generalised zero-shot classification."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.metrics._classification import (
    ausuc_score,
    best_seen_penalty,
    gzsl_scores,
    harmonic_mean_score,
    per_class_accuracy_score,
    seen_unseen_curve,
)
from sklearn_zsl.metrics._generation import generation_quality
from sklearn_zsl.metrics._scorer import (
    AUSUCScorer,
    GZSLScorer,
    ZSLScorer,
    ausuc_scorer,
    gzsl_scorer,
    zsl_scorer,
)

__all__ = [
    "AUSUCScorer",
    "GZSLScorer",
    "ZSLScorer",
    "ausuc_score",
    "ausuc_scorer",
    "best_seen_penalty",
    "generation_quality",
    "gzsl_scorer",
    "gzsl_scores",
    "harmonic_mean_score",
    "per_class_accuracy_score",
    "seen_unseen_curve",
    "zsl_scorer",
]
