"""Zero-shot learning with the scikit-learn API.

Subpackages
-----------
linear
    Closed-form baselines: ESZSL and SAE.
embedding
    The Deep Embedding Model (DEM).
flow
    The Invertible Zero-shot Flow (IZF).
generative
    GFZSL, a closed-form generative baseline with Gaussian class models.
metrics
    Per-class accuracy, generalised-ZSL scores, AUSUC and scorers.
model_selection
    Class-disjoint cross-validation splitters.
datasets
    The xlsa17 benchmark loader and data generators.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.base import ZeroShotClassifierMixin
from sklearn_zsl.embedding import DEMClassifier
from sklearn_zsl.flow import IZFClassifier
from sklearn_zsl.generative import GFZSLClassifier
from sklearn_zsl.linear import ESZSLClassifier, SAEClassifier
from sklearn_zsl.semantics import ClassSemantics, check_class_semantics

__version__ = "0.1.0.dev0"

__all__ = [
    "ClassSemantics",
    "DEMClassifier",
    "ESZSLClassifier",
    "GFZSLClassifier",
    "IZFClassifier",
    "SAEClassifier",
    "ZeroShotClassifierMixin",
    "__version__",
    "check_class_semantics",
]
