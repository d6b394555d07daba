"""Shared pytest configuration: one torch thread, fixed seeds."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pytest
import torch
from hypothesis import settings

torch.set_num_threads(1)

# Deterministic property-based tests: the same examples on every run.
settings.register_profile(
    "sklearn_zsl", derandomize=True, deadline=None, max_examples=60
)
settings.load_profile("sklearn_zsl")

SHARED_DATA = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    os.pardir,
    os.pardir,
    "shared",
    "data",
    "zsl",
)


@pytest.fixture(autouse=True)
def _seeds_fixed():
    """Fix numpy's and torch's global seeds so every test is deterministic."""
    np.random.seed(0)
    torch.manual_seed(0)
    yield


@pytest.fixture(scope="session")
def shared_zsl_dir():
    """Path of the real ZSL side information in ``../shared/data/zsl``."""
    path = os.path.normpath(SHARED_DATA)
    if not os.path.isdir(path):
        pytest.skip(f"real ZSL side information not found at {path}")
    return path


@pytest.fixture(scope="session")
def tiny_zsl_data():
    """Eight classes, two unseen: ``X_train, y_train, X_all, class_semantics``.

    Small enough for deep models with test-sized settings (synthetic features).
    """
    from sklearn_zsl.datasets import make_zsl_classification

    X, y, semantics, unseen = make_zsl_classification(
        n_classes=8,
        n_unseen=2,
        n_samples_per_class=10,
        n_features=8,
        n_semantics=4,
        random_state=0,
    )
    seen = ~np.isin(y, unseen)
    return X[seen], y[seen], X, semantics


def pytest_collection_modifyitems(config, items):
    """Skip tests marked ``long`` unless ``SKLEARN_ZSL_LONG=1`` is set."""
    if os.environ.get("SKLEARN_ZSL_LONG") == "1":
        return
    skip = pytest.mark.skip(reason="long run; set SKLEARN_ZSL_LONG=1 to run it")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)
