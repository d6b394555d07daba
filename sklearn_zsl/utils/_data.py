"""Training data as tensors: datasets batched by slicing and a fixed split.

A dataset of tensors indexed a whole mini-batch at a time (no per-sample
collate), the iterator that batches it by slicing, the class-stratified choice
of validation rows and the skorch ``train_split`` that holds those rows out.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import torch

from sklearn_zsl.model_selection._holdout import hold_out_samples

__all__ = [
    "ClassStratifiedSplit",
    "TensorBatchIterator",
    "TensorDataset",
    "stratified_validation_indices",
]


class TensorDataset(torch.utils.data.Dataset):
    """Tensors sharing their first dimension, indexed all at once.

    ``dataset[index]`` returns the tuple of every tensor indexed by ``index``,
    which may be an int, a slice or an index tensor: a whole mini-batch is one
    indexing operation per tensor, never a per-sample collate.

    Parameters
    ----------
    *tensors : torch.Tensor
        Tensors with the same length along their first dimension.

    Examples
    --------
    >>> import torch
    >>> from sklearn_zsl.utils import TensorDataset
    >>> dataset = TensorDataset(torch.arange(5), torch.zeros(5, 2))
    >>> len(dataset)
    5
    >>> labels, features = dataset[1:3]
    >>> labels, features.shape
    (tensor([1, 2]), torch.Size([2, 2]))
    """

    def __init__(self, *tensors: torch.Tensor):
        assert tensors, "TensorDataset needs at least one tensor"
        n = tensors[0].shape[0]
        assert all(t.shape[0] == n for t in tensors), (
            f"tensors of different lengths: {[t.shape[0] for t in tensors]}"
        )
        self.tensors = tensors

    def __len__(self) -> int:
        return self.tensors[0].shape[0]

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def take(self, indices) -> TensorDataset:
        """Return a new dataset holding the rows ``indices``, in that order.

        Parameters
        ----------
        indices : array-like of int
            Rows to keep.

        Returns
        -------
        dataset : TensorDataset
            A copy of those rows of every tensor.
        """
        indices = torch.as_tensor(indices, dtype=torch.long)
        return TensorDataset(*(t[indices] for t in self.tensors))


class TensorBatchIterator:
    """Iterate over a :class:`TensorDataset` in mini-batches made by slicing.

    It replaces skorch's default :class:`~torch.utils.data.DataLoader` as
    ``iterator_train`` and ``iterator_valid``: without shuffling a batch is a
    view of consecutive rows; with shuffling it is one gather of a seeded
    random permutation, drawn anew at every pass. The last, smaller batch is
    kept.

    Parameters
    ----------
    dataset : TensorDataset
        The data to iterate over.
    batch_size : int, default=128
        Number of rows per batch.
    shuffle : bool, default=False
        Whether to visit the rows in a new random order at every pass.
    seed : int, default=None
        Seed of the permutations; ``None`` draws one from torch's global CPU
        generator.

    Examples
    --------
    >>> import torch
    >>> from sklearn_zsl.utils import TensorBatchIterator, TensorDataset
    >>> dataset = TensorDataset(torch.arange(5), torch.zeros(5, 2))
    >>> [labels.tolist() for labels, _ in TensorBatchIterator(dataset, 2)]
    [[0, 1], [2, 3], [4]]
    >>> iterator = TensorBatchIterator(dataset, 2, shuffle=True, seed=0)
    >>> sorted(sum((labels.tolist() for labels, _ in iterator), []))
    [0, 1, 2, 3, 4]
    """

    def __init__(
        self,
        dataset: TensorDataset,
        batch_size: int = 128,
        shuffle: bool = False,
        seed: int | None = None,
    ):
        assert batch_size >= 1, f"batch_size must be >= 1, got {batch_size}"
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        if seed is None:
            seed = int(torch.randint(np.iinfo(np.int32).max, (1,)).item())
        self.generator = torch.Generator().manual_seed(int(seed))

    def __len__(self) -> int:
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, ...]]:
        n_samples = len(self.dataset)
        if self.shuffle:
            order = torch.randperm(n_samples, generator=self.generator)
            device = self.dataset.tensors[0].device
            if device.type != "cpu":
                order = order.to(device)
            for start in range(0, n_samples, self.batch_size):
                yield self.dataset[order[start : start + self.batch_size]]
        else:
            for start in range(0, n_samples, self.batch_size):
                yield self.dataset[start : start + self.batch_size]


def stratified_validation_indices(y_ind, fraction: float, random_state) -> np.ndarray:
    """Draw a class-stratified validation subset of the samples.

    ``fraction`` of the samples, rounded up, shared among the classes in
    proportion to their sizes by largest remainder: each class holds out its
    share rounded down or up, keeps at least one training sample and, when
    it has two or more, gives at least one if the total allows. This is the
    rule of every holding-out in :mod:`sklearn_zsl`
    (``sklearn_zsl.model_selection._holdout``).

    Parameters
    ----------
    y_ind : array-like of shape (n_samples,)
        Encoded class labels.
    fraction : float
        Share of the samples to hold out, in (0, 1).
    random_state : int, RandomState instance or None
        Breaks rounding ties and draws the samples.

    Returns
    -------
    valid_indices : ndarray of shape (n_valid,)
        Sorted indices of the validation samples; empty when no class can
        spare one.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.utils import stratified_validation_indices
    >>> y_ind = np.repeat([0, 1, 2], [10, 20, 1])
    >>> valid = stratified_validation_indices(y_ind, 0.1, random_state=0)
    >>> np.bincount(y_ind[valid], minlength=3)  # ceil(3.1) = 4 samples
    array([1, 3, 0])
    """
    return np.flatnonzero(hold_out_samples(y_ind, fraction, random_state))


class ClassStratifiedSplit:
    """A skorch ``train_split`` holding out fixed validation rows.

    Parameters
    ----------
    valid_indices : array-like of int
        Rows of the dataset used for validation; the others are trained on.

    Examples
    --------
    >>> import torch
    >>> from sklearn_zsl.utils import ClassStratifiedSplit, TensorDataset
    >>> split = ClassStratifiedSplit([1, 3])
    >>> train, valid = split(TensorDataset(torch.arange(5)))
    >>> train[:][0], valid[:][0]
    (tensor([0, 2, 4]), tensor([1, 3]))
    """

    def __init__(self, valid_indices):
        self.valid_indices = np.asarray(valid_indices, dtype=np.intp)

    def __call__(self, dataset: TensorDataset, y=None, **fit_params):
        """Split ``dataset`` into its training and validation rows.

        Parameters
        ----------
        dataset : TensorDataset
            The whole training data.
        y : None
            Ignored: the rows are fixed.
        **fit_params : dict
            Ignored.

        Returns
        -------
        dataset_train : TensorDataset
            The rows not held out, in order.
        dataset_valid : TensorDataset
            The held-out rows.
        """
        is_valid = np.zeros(len(dataset), dtype=bool)
        is_valid[self.valid_indices] = True
        return dataset.take(np.flatnonzero(~is_valid)), dataset.take(self.valid_indices)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_valid={self.valid_indices.shape[0]})"
