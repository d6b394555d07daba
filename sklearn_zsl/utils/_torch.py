"""Torch device and random-number helpers of the deep estimators.

Resolving a ``device`` parameter, drawing a torch seed from a scikit-learn
``random_state``, seeding torch inside a block only, and whether an optimiser
has a fused implementation on a kind of device.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import functools
import re

import numpy as np
import torch
from sklearn.utils import check_random_state

__all__ = ["resolve_device", "seed_from_random_state", "supports_fused", "torch_seeded"]

_CUDA_DEVICE = re.compile(r"cuda(:\d+)?")


def resolve_device(device: str) -> str:
    """Resolve a ``device`` parameter into a torch device string.

    Parameters
    ----------
    device : {"auto", "cpu", "cuda"} or str
        ``"auto"`` picks ``"cuda"`` when a CUDA device is available and
        ``"cpu"`` otherwise; ``"cuda:<index>"`` names one GPU.

    Returns
    -------
    device : str
        ``"cpu"``, ``"cuda"`` or ``"cuda:<index>"``.

    Raises
    ------
    ValueError
        If the string is not a known device, or names a CUDA device that is
        not available.

    Examples
    --------
    >>> from sklearn_zsl.utils import resolve_device
    >>> resolve_device("cpu")
    'cpu'
    >>> resolve_device("auto") in {"cpu", "cuda"}
    True
    """
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        return device
    if not isinstance(device, str) or not _CUDA_DEVICE.fullmatch(device):
        raise ValueError(
            f"Unknown device {device!r}; use 'cpu', 'cuda', 'cuda:<index>' or "
            "'auto' (CUDA when available, else CPU)."
        )
    if not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} but CUDA is not available to torch "
            f"(torch {torch.__version__}, CUDA build: {torch.version.cuda}); "
            "use device='cpu', or device='auto' to take a GPU only when present."
        )
    index = int(device.partition(":")[2] or 0)
    if index >= torch.cuda.device_count():
        raise ValueError(
            f"device={device!r} but only {torch.cuda.device_count()} CUDA "
            "device(s) are visible; use an index below that, or 'cuda'."
        )
    return device


def seed_from_random_state(random_state) -> int:
    """Draw an integer seed for torch from a scikit-learn ``random_state``.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        As everywhere in scikit-learn. An int always gives the same seed.

    Returns
    -------
    seed : int
        A seed in ``[0, 2**31 - 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.utils import seed_from_random_state
    >>> seed_from_random_state(0) == seed_from_random_state(0)
    True
    >>> rng = np.random.RandomState(0)
    >>> seed_from_random_state(rng) == seed_from_random_state(rng)
    False
    """
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


@contextlib.contextmanager
def torch_seeded(seed: int, device: str = "cpu"):
    """Seed torch inside the block only, restoring the global generators after.

    The CPU generator and, for a CUDA ``device``, the generator of that GPU
    are forked (:func:`torch.random.fork_rng`), seeded with ``seed``, and
    restored on exit, so that fitting an estimator never changes the random
    numbers user code draws afterwards.

    Parameters
    ----------
    seed : int
        Seed of the block.
    device : str, default="cpu"
        Resolved device (see :func:`resolve_device`).

    Yields
    ------
    None
        Control returns to the block, with torch seeded.

    Examples
    --------
    >>> import torch
    >>> from sklearn_zsl.utils import torch_seeded
    >>> with torch_seeded(0):
    ...     first = torch.rand(3)
    >>> with torch_seeded(0):
    ...     second = torch.rand(3)
    >>> bool(torch.equal(first, second))
    True
    """
    cuda = device.startswith("cuda")
    index = torch.device(device).index if cuda else None
    if cuda and index is None:
        index = torch.cuda.current_device()
    with torch.random.fork_rng(devices=[index] if cuda else []):
        torch.default_generator.manual_seed(seed)
        if cuda:
            with torch.cuda.device(index):
                torch.cuda.manual_seed(seed)
        yield


@functools.cache
def supports_fused(optimizer, device_type: str) -> bool:
    """Whether ``optimizer`` accepts ``fused=True`` on this kind of device.

    A fused optimiser updates all parameters in one kernel: on CPU, ten times
    faster than the default implementation, with the same arithmetic.

    Parameters
    ----------
    optimizer : type
        A :mod:`torch.optim` optimiser class.
    device_type : {"cpu", "cuda"}
        Kind of device the parameters live on.

    Returns
    -------
    supported : bool
        Whether an instance can be built with ``fused=True`` there; ``False``
        for ``"cuda"`` without a GPU.
    """
    if device_type == "cuda" and not torch.cuda.is_available():
        return False
    try:
        optimizer([torch.zeros(1, device=device_type, requires_grad=True)], fused=True)
    except (RuntimeError, TypeError, ValueError):
        return False
    return True
