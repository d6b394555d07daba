"""Torch and skorch plumbing shared by the deep zero-shot estimators.

What lives here is independent of any one model: the parameter constraints of
the network parameters, device resolution, seeding torch from ``random_state``
without touching the global generators, a dataset of tensors batched by
slicing (no per-sample collate), a class-stratified validation split, an epoch
progress bar, a skorch net minimising its criterion plus an L2 penalty, and
the skorch arguments a deep estimator builds from its parameters.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import functools
import math
import re
import warnings
from collections.abc import Iterator
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options
from skorch import NeuralNet
from skorch.callbacks import Callback, EarlyStopping

from sklearn_zsl.model_selection._holdout import hold_out_samples
from sklearn_zsl.utils._training import _GuardedNetMixin

__all__ = [
    "EARLY_STOPPING_PARAMETER_CONSTRAINTS",
    "NN_PARAMETER_CONSTRAINTS",
    "ClassStratifiedSplit",
    "EpochProgressBar",
    "PenalizedNeuralNet",
    "TensorBatchIterator",
    "TensorDataset",
    "resolve_device",
    "seed_from_random_state",
    "skorch_params",
    "stratified_validation_indices",
    "torch_seeded",
]

#: Constraints of the network parameters every deep estimator shares; spread
#: them into ``_parameter_constraints`` with ``**``.
NN_PARAMETER_CONSTRAINTS = {
    "lr": [Interval(Real, 0, None, closed="neither")],
    "max_epochs": [Interval(Integral, 1, None, closed="left")],
    "batch_size": [Interval(Integral, 1, None, closed="left"), Options(Integral, {-1})],
    "device": [str],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
    "callbacks": [list, None],
}

#: Constraints of the early-stopping parameters.
EARLY_STOPPING_PARAMETER_CONSTRAINTS = {
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
}

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


class EpochProgressBar(Callback):
    """A :mod:`tqdm` progress bar over the epochs, showing the latest losses.

    Parameters
    ----------
    desc : str, default=None
        Label of the bar.
    keys : tuple of str, default=("train_loss", "valid_loss")
        History entries shown after the bar when present.

    Examples
    --------
    >>> from sklearn_zsl.utils import EpochProgressBar
    >>> EpochProgressBar(desc="DEM").get_params()
    {'desc': 'DEM', 'keys': ('train_loss', 'valid_loss')}
    """

    def __init__(self, desc=None, keys=("train_loss", "valid_loss")):
        self.desc = desc
        self.keys = keys

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        from tqdm.auto import tqdm

        self.bar_ = tqdm(total=net.max_epochs, desc=self.desc, unit="epoch")

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        row = net.history[-1]
        self.bar_.set_postfix(
            {key: f"{row[key]:.4g}" for key in self.keys if key in row}, refresh=False
        )
        self.bar_.update()

    def on_train_end(self, net, X=None, y=None, **kwargs):
        self.bar_.close()
        self.bar_ = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state["bar_"] = None
        return state


class PenalizedNeuralNet(_GuardedNetMixin, NeuralNet):
    """A skorch net minimising its criterion plus an L2 penalty on all parameters.

    The objective is the criterion plus ``alpha / 2`` times the squared L2
    norm of every parameter, weights and biases alike. The penalty's gradient
    ``alpha * theta`` is added by the optimiser, as its ``weight_decay``: for
    :class:`torch.optim.Adam` or :class:`torch.optim.SGD` (whose weight decay
    is the coupled L2 gradient, not AdamW's decoupled decay) this is exactly
    gradient descent on the objective, and much cheaper than differentiating
    the penalty. :meth:`get_loss` returns the criterion, so ``train_loss``
    and ``valid_loss`` in the history measure the fit of the data and are
    comparable; the penalty, which does not depend on the data, is recorded
    once per epoch as ``penalty`` (its value after the epoch), and the
    objective of an epoch is about ``train_loss + penalty``. Every other
    argument is :class:`skorch.NeuralNet`'s. A non-finite training loss
    raises a ``ValueError``, and ``max_epochs`` counts the epochs of a history
    loaded from a checkpoint, so a resumed run trains the remaining ones.

    Parameters
    ----------
    *args
        Positional arguments of :class:`skorch.NeuralNet`.
    alpha : float, default=0.0
        Strength of the penalty.
    **kwargs
        Keyword arguments of :class:`skorch.NeuralNet`.

    Examples
    --------
    >>> import torch
    >>> from sklearn_zsl.utils import (
    ...     PenalizedNeuralNet, TensorBatchIterator, TensorDataset
    ... )
    >>> net = PenalizedNeuralNet(
    ...     torch.nn.Linear, module__in_features=3, module__out_features=2,
    ...     criterion=torch.nn.MSELoss, alpha=0.1, max_epochs=2,
    ...     iterator_train=TensorBatchIterator, train_split=None, verbose=0,
    ... )
    >>> dataset = TensorDataset(torch.randn(8, 3), torch.randn(8, 2))
    >>> net = net.fit(dataset, None)
    >>> bool(net.history[-1, "penalty"] == net.penalty())
    True
    """

    def __init__(self, *args, alpha: float = 0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.alpha = alpha

    def get_params_for_optimizer(self, prefix, named_parameters):
        args, kwargs = super().get_params_for_optimizer(prefix, named_parameters)
        kwargs["weight_decay"] = self.alpha
        return args, kwargs

    def penalty(self) -> float:
        """Return ``alpha / 2`` times the squared L2 norm of the parameters.

        Returns
        -------
        penalty : float
            The penalty term of the objective at the current parameters.
        """
        with torch.no_grad():
            flat = [p.reshape(-1) for p in self.module_.parameters() if p.requires_grad]
            return 0.5 * self.alpha * float(sum(torch.dot(p, p) for p in flat))

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        super().on_epoch_end(net, dataset_train, dataset_valid, **kwargs)
        self.history.record("penalty", self.penalty())


@functools.cache
def _supports_fused(optimizer, device_type: str) -> bool:
    """Whether ``optimizer`` accepts ``fused=True`` on this kind of device."""
    if device_type == "cuda" and not torch.cuda.is_available():
        return False
    try:
        optimizer([torch.zeros(1, device=device_type, requires_grad=True)], fused=True)
    except (RuntimeError, TypeError, ValueError):
        return False
    return True


def check_callbacks(callbacks) -> list:
    """Validate the ``callbacks`` parameter of a deep estimator.

    Parameters
    ----------
    callbacks : list or None
        skorch callbacks: instances of :class:`skorch.callbacks.Callback`, or
        ``(name, callback)`` pairs with a string name.

    Returns
    -------
    callbacks : list
        The entries, an empty list for ``None``.

    Raises
    ------
    TypeError
        If an entry is neither, naming the entry and its position.

    Examples
    --------
    >>> from skorch.callbacks import EpochTimer
    >>> from sklearn_zsl.utils._nn import check_callbacks
    >>> len(check_callbacks([EpochTimer(), ("timer", EpochTimer())]))
    2
    """
    if callbacks is None:
        return []
    if not isinstance(callbacks, list | tuple):
        raise TypeError(
            "callbacks must be a list of skorch callbacks, got "
            f"{type(callbacks).__name__}."
        )
    for position, item in enumerate(callbacks):
        callback = item
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            callback = item[1]
        if isinstance(callback, Callback):
            continue
        if isinstance(callback, type) and issubclass(callback, Callback):
            fix = f"an instance, e.g. {callback.__name__}(), not the class"
        else:
            fix = (
                "a skorch Callback instance (e.g. skorch.callbacks.EpochTimer()) "
                "or a (name, Callback) pair"
            )
        raise TypeError(
            f"callbacks[{position}] is {item!r} ({type(item).__name__}); each entry "
            f"must be {fix}."
        )
    return list(callbacks)


def skorch_params(
    estimator,
    *,
    device: str,
    y_ind,
    random_state,
    optimizer=torch.optim.Adam,
    desc=None,
) -> dict:
    """Arguments of a skorch net built from a deep estimator's parameters.

    Reads ``lr``, ``max_epochs``, ``batch_size``, ``verbose``, ``callbacks``
    and the early-stopping parameters of ``estimator``. The data must be
    passed to ``net.fit`` as one :class:`TensorDataset` whose rows are in the
    order of ``y_ind``. The optimiser runs its fused implementation where
    torch has one (one kernel for all parameters: ten times faster than the
    default on CPU, same arithmetic).

    Parameters
    ----------
    estimator : estimator
        The estimator whose parameters are read.
    device : str
        Resolved device.
    y_ind : ndarray of shape (n_samples,)
        Encoded class labels of the training samples, to stratify the
        validation split by.
    random_state : RandomState instance
        Source of the validation split and of the shuffling seed.
    optimizer : type, default=torch.optim.Adam
        The torch optimiser.
    desc : str, default=None
        Label of the progress bar.

    Returns
    -------
    params : dict
        Keyword arguments for a :class:`skorch.NeuralNet` subclass:
        ``optimizer``, ``lr``, ``max_epochs``, ``batch_size``, iterators,
        ``train_split``, ``callbacks``, ``verbose`` and ``device``.
    """
    # User callbacks first, early stopping last: it ends training by raising
    # at the end of an epoch, and every other callback must see that epoch.
    callbacks = [
        (item[0], clone(item[1], safe=False))
        if isinstance(item, tuple)
        else clone(item, safe=False)
        for item in check_callbacks(estimator.callbacks)
    ]
    if estimator.verbose:
        callbacks.append(("progress_bar", EpochProgressBar(desc=desc)))
    train_split = None
    if estimator.early_stopping:
        valid_indices = stratified_validation_indices(
            y_ind, estimator.validation_fraction, random_state
        )
        if valid_indices.size:
            train_split = ClassStratifiedSplit(valid_indices)
            callbacks.append(
                (
                    "early_stopping",
                    EarlyStopping(
                        monitor="valid_loss",
                        patience=estimator.n_iter_no_change,
                        threshold=estimator.tol,
                        threshold_mode="rel",
                        load_best=True,
                        sink=print if estimator.verbose > 1 else _silent,
                    ),
                )
            )
        else:
            warnings.warn(
                f"early_stopping=True but no class has enough samples to hold out "
                f"a validation fraction of {estimator.validation_fraction}; "
                f"training for max_epochs={estimator.max_epochs} epochs without "
                "early stopping. Set early_stopping=False to silence this warning.",
                UserWarning,
                stacklevel=4,
            )
    params = {
        "optimizer": optimizer,
        "lr": estimator.lr,
        "max_epochs": estimator.max_epochs,
        "batch_size": estimator.batch_size,
        "iterator_train": TensorBatchIterator,
        "iterator_train__shuffle": True,
        "iterator_train__seed": seed_from_random_state(random_state),
        "iterator_valid": TensorBatchIterator,
        "train_split": train_split,
        "callbacks": callbacks,
        "verbose": int(estimator.verbose > 1),
        "device": device,
    }
    if _supports_fused(optimizer, torch.device(device).type):
        params["optimizer__fused"] = True
    return params


def _silent(*args, **kwargs):
    """A sink that prints nothing."""
