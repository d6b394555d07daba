"""The Invertible Zero-shot Flow (IZF): generative zero-shot learning with a flow."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.flow._izf import IZFClassifier

__all__ = ["IZFClassifier"]
