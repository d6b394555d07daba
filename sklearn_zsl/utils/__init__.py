"""Utilities shared by the estimators: torch, tensor data and skorch helpers."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.utils._data import (
    ClassStratifiedSplit,
    TensorBatchIterator,
    TensorDataset,
    stratified_validation_indices,
)
from sklearn_zsl.utils._skorch import EpochProgressBar, PenalizedNeuralNet
from sklearn_zsl.utils._torch import (
    resolve_device,
    seed_from_random_state,
    torch_seeded,
)

__all__ = [
    "ClassStratifiedSplit",
    "EpochProgressBar",
    "PenalizedNeuralNet",
    "TensorBatchIterator",
    "TensorDataset",
    "resolve_device",
    "seed_from_random_state",
    "stratified_validation_indices",
    "torch_seeded",
]
