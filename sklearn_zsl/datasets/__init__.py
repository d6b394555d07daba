"""The xlsa17 benchmark loader and synthetic zero-shot data generators."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.datasets._digits import load_zsl_digits
from sklearn_zsl.datasets._semantics_io import load_class_semantics
from sklearn_zsl.datasets._semisynthetic import (
    make_zsl_from_semantics,
    make_zsl_from_xlsa17,
)
from sklearn_zsl.datasets._synthetic import make_zsl_classification
from sklearn_zsl.datasets._xlsa17 import load_xlsa17

__all__ = [
    "load_class_semantics",
    "load_xlsa17",
    "load_zsl_digits",
    "make_zsl_classification",
    "make_zsl_from_semantics",
    "make_zsl_from_xlsa17",
]
