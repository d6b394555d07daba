"""Utilities shared by the estimators: torch and skorch helpers."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl.utils._nn import (
    ClassStratifiedSplit,
    EpochProgressBar,
    PenalizedNeuralNet,
    TensorBatchIterator,
    TensorDataset,
    resolve_device,
    seed_from_random_state,
    stratified_validation_indices,
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
