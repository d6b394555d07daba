"""Class-disjoint cross-validation splitters and seen-penalty calibration."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.model_selection._calibration import (
    calibrate_seen_penalty,
    combine_seen_penalties,
)
from sklearn_zsl.model_selection._split import GZSLShuffleSplit, ZSLKFold

__all__ = [
    "GZSLShuffleSplit",
    "ZSLKFold",
    "calibrate_seen_penalty",
    "combine_seen_penalties",
]
