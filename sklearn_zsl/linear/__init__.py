"""Closed-form linear zero-shot classifiers: ESZSL and the semantic autoencoder."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.linear._eszsl import ESZSLClassifier
from sklearn_zsl.linear._sae import SAEClassifier

__all__ = ["ESZSLClassifier", "SAEClassifier"]
