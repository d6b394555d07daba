"""Class-disjoint cross-validation splitters for zero-shot learning."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.model_selection._split import GZSLShuffleSplit, ZSLKFold

__all__ = ["GZSLShuffleSplit", "ZSLKFold"]
