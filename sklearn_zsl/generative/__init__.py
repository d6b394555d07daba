"""Generative zero-shot models: GFZSL, with the heads generative models share."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.generative._gfzsl import GFZSLClassifier

__all__ = ["GFZSLClassifier"]
