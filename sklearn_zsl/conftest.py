"""Doctest configuration: one torch thread, fixed seeds."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pytest
import torch

torch.set_num_threads(1)


@pytest.fixture(autouse=True)
def _seeds_fixed():
    np.random.seed(0)
    torch.manual_seed(0)
    yield
