"""Embedding models: the Deep Embedding Model (DEM) and its networks."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.embedding._dem import DEMClassifier
from sklearn_zsl.embedding._modules import ClassPrototypes, DEMNetwork

__all__ = ["ClassPrototypes", "DEMClassifier", "DEMNetwork"]
