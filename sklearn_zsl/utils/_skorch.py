"""skorch plumbing and the base of the deep estimators.

The constraints of the network parameters every deep estimator shares, an
epoch progress bar, the training guards and the L2-penalised net, early
stopping valid for negative losses, the check of the ``callbacks``
parameter, the skorch arguments of a deep estimator's net, and
:class:`DeepEstimatorMixin`, which owns the skorch fit of DEM and IZF: they
supply only their net, criterion and scores.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings
from numbers import Integral, Real

import torch
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options
from skorch import NeuralNet
from skorch.callbacks import Callback, EarlyStopping

from sklearn_zsl.utils._data import (
    ClassStratifiedSplit,
    TensorBatchIterator,
    stratified_validation_indices,
)
from sklearn_zsl.utils._torch import (
    resolve_device,
    seed_from_random_state,
    supports_fused,
    torch_seeded,
)

__all__ = [
    "EARLY_STOPPING_PARAMETER_CONSTRAINTS",
    "NN_PARAMETER_CONSTRAINTS",
    "DeepEstimatorMixin",
    "EpochProgressBar",
    "PenalizedNeuralNet",
    "check_callbacks",
    "skorch_params",
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


class _GuardedNetMixin:
    """Training guards for a skorch net; put it left of ``NeuralNet``.

    - A non-finite training loss raises a ``ValueError`` before the optimiser
      steps, so a diverged model is never returned silently (the mixin of the
      estimator then leaves the estimator unfitted). So does a finite loss
      that grew by more than ``_max_loss_growth`` times the magnitude of the
      first loss of the run (at least 1): a learning rate far too large
      often sends the loss to 1e30 while it stays finite.
    - ``max_epochs`` counts every epoch of the history, including those of a
      history loaded when training begins (skorch's ``LoadInitState``
      callback): a run resumed from a checkpoint trains the remaining epochs
      only.

    Subclasses name what diverged and how to avoid it in ``_divergence_hint``.
    """

    _divergence_hint = "Lower lr or check X for extreme values."
    #: growth of the loss over the first loss's magnitude taken as divergence
    _max_loss_growth = 1e6

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        if epochs is None:
            epochs = max(self.max_epochs - len(self.history), 0)
        self._first_loss = None
        return super().fit_loop(X, y, epochs=epochs, **fit_params)

    def train_step_single(self, batch, **fit_params):
        step = super().train_step_single(batch, **fit_params)
        loss = step["loss"]
        if not torch.isfinite(loss):
            raise ValueError(
                f"The training loss became {loss.item()} in epoch "
                f"{len(self.history)}: the network diverged. "
                f"{self._divergence_hint}"
            )
        loss = float(loss.item())
        first = getattr(self, "_first_loss", None)
        if first is None:
            self._first_loss = loss
        elif loss - first > self._max_loss_growth * max(abs(first), 1.0):
            raise ValueError(
                f"The training loss grew from {first:.4g} to {loss:.4g} in epoch "
                f"{len(self.history)}: the network diverged. "
                f"{self._divergence_hint}"
            )
        return step


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


class _RelativeEarlyStopping(EarlyStopping):
    """skorch's :class:`~skorch.callbacks.EarlyStopping`, valid for negative losses.

    With ``threshold_mode="rel"`` skorch requires the next score to be below
    ``score * (1 - threshold)``, which lies *above* a negative score: an epoch
    slightly worse than the best would count as an improvement, and its
    weights would be restored. A flow's negative log-likelihood is often
    negative, so here the requirement is ``score - threshold * |score|``
    (``score + threshold * |score|`` when higher is better), which is
    skorch's for positive scores.
    """

    def _calc_new_threshold(self, score):
        if self.threshold_mode != "rel":
            return super()._calc_new_threshold(score)
        change = self.threshold * abs(score)
        return score - change if self.lower_is_better else score + change


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
    >>> from sklearn_zsl.utils._skorch import check_callbacks
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
    *,
    lr: float,
    max_epochs: int,
    batch_size: int,
    device: str,
    shuffle_seed: int,
    callbacks: list | None = None,
    net_callbacks: list | tuple = (),
    valid_indices=None,
    n_iter_no_change: int = 5,
    tol: float = 1e-4,
    verbose: int = 0,
    desc: str | None = None,
    optimizer: type = torch.optim.Adam,
) -> dict:
    """Arguments of a skorch net training a deep estimator.

    The data must be passed to ``net.fit`` as one :class:`TensorDataset`.
    Mini-batches are slices of it, in a new seeded order at every epoch. The
    optimiser runs its fused implementation where torch has one (one kernel
    for all parameters, same arithmetic; much faster on CPU, see
    ``benchmarks/README.md``).

    The callbacks run in this order: ``net_callbacks`` (the model's own),
    the user's ``callbacks``, the progress bar, and early stopping last.
    Early stopping ends training by raising at the end of an epoch, so every
    other callback sees the epoch training stops on.

    Parameters
    ----------
    lr : float
        Learning rate.
    max_epochs : int
        Number of epochs to train for.
    batch_size : int
        Number of rows per mini-batch; -1 takes all rows at once.
    device : str
        Resolved device (see :func:`~sklearn_zsl.utils.resolve_device`).
    shuffle_seed : int
        Seed of the order of the training rows.
    callbacks : list or None, default=None
        The user's skorch callbacks (instances or ``(name, callback)``
        pairs), checked with :func:`check_callbacks` and cloned.
    net_callbacks : list of (str, Callback), default=()
        Named callbacks of the model itself, such as gradient clipping; used
        as given.
    valid_indices : array-like of int or None, default=None
        Rows of the dataset held out for early stopping; ``None`` trains on
        every row, for ``max_epochs``.
    n_iter_no_change : int, default=5
        Epochs without improvement of the validation loss before stopping.
    tol : float, default=1e-4
        Relative decrease of the best validation loss that counts as an
        improvement.
    verbose : int, default=0
        0 is silent, 1 shows a progress bar over the epochs, 2 also prints
        skorch's table of losses and early stopping's messages.
    desc : str, default=None
        Label of the progress bar.
    optimizer : type, default=torch.optim.Adam
        The torch optimiser.

    Returns
    -------
    params : dict
        Keyword arguments for a :class:`skorch.NeuralNet` subclass:
        ``optimizer``, ``lr``, ``max_epochs``, ``batch_size``, iterators,
        ``train_split``, ``callbacks``, ``verbose`` and ``device``.

    Examples
    --------
    >>> from sklearn_zsl.utils._skorch import skorch_params
    >>> params = skorch_params(
    ...     lr=0.01, max_epochs=3, batch_size=32, device="cpu", shuffle_seed=0,
    ...     valid_indices=[0, 5],
    ... )
    >>> [name for name, _ in params["callbacks"]]
    ['early_stopping']
    >>> params["train_split"]
    ClassStratifiedSplit(n_valid=2)
    """
    callbacks = [
        *net_callbacks,
        *(
            (item[0], clone(item[1], safe=False))
            if isinstance(item, tuple)
            else clone(item, safe=False)
            for item in check_callbacks(callbacks)
        ),
    ]
    if verbose:
        callbacks.append(("progress_bar", EpochProgressBar(desc=desc)))
    train_split = None
    if valid_indices is not None:
        train_split = ClassStratifiedSplit(valid_indices)
        # last: it ends training by raising at the end of an epoch, which
        # every other callback must see
        callbacks.append(
            (
                "early_stopping",
                _RelativeEarlyStopping(
                    monitor="valid_loss",
                    patience=n_iter_no_change,
                    threshold=tol,
                    threshold_mode="rel",
                    load_best=True,
                    sink=print if verbose > 1 else _silent,
                ),
            )
        )
    params = {
        "optimizer": optimizer,
        "lr": lr,
        "max_epochs": max_epochs,
        "batch_size": batch_size,
        "iterator_train": TensorBatchIterator,
        "iterator_train__shuffle": True,
        "iterator_train__seed": shuffle_seed,
        "iterator_valid": TensorBatchIterator,
        "train_split": train_split,
        "callbacks": callbacks,
        "verbose": int(verbose > 1),
        "device": device,
    }
    if supports_fused(optimizer, torch.device(device).type):
        params["optimizer__fused"] = True
    return params


def _silent(*args, **kwargs):
    """A sink that prints nothing."""


class DeepEstimatorMixin:
    """Mixin owning the skorch training of a deep zero-shot classifier.

    Put it left of :class:`~sklearn_zsl.ZeroShotClassifierMixin`, whose
    ``_fit_model`` hook it implements: it resolves ``device_``, draws the
    torch seed and the validation rows from ``random_state``, builds
    ``net_`` with :func:`skorch_params` (so the callbacks always run in one
    order: the model's own, the user's, the progress bar, early stopping
    last), trains it with torch seeded inside ``fit`` only, records
    ``n_iter_`` and ``best_epoch_``, warns when training was interrupted,
    and completes the model in evaluation mode. It also sets the
    ``non_deterministic`` tag on CUDA and, on unpickling, sets ``device_``
    to the device skorch loaded the net on (the CPU where the training GPU
    is missing).

    The estimator has the parameters of :data:`NN_PARAMETER_CONSTRAINTS` and
    :data:`EARLY_STOPPING_PARAMETER_CONSTRAINTS` and supplies its net,
    criterion and scores through these hooks:

    - ``_define_net(X, y_ind, valid_rows, rng, seed)`` returns ``(net_class,
      params, dataset)``: a :class:`skorch.NeuralNet` subclass, its
      ``module``, ``criterion`` and model-specific arguments, and the
      training data as a :class:`~sklearn_zsl.utils.TensorDataset` in the
      order of ``y_ind``. ``valid_rows`` are the rows held out for early
      stopping (``None`` without); ``rng`` and ``seed`` are the random
      state and the torch seed of the fit.
    - ``_finish_fit(X, y_ind, rng)`` completes the model once trained (the
      module is in evaluation mode, torch still seeded).
    - ``_raw_scores(X)``, as for :class:`~sklearn_zsl.ZeroShotClassifierMixin`.

    and may override:

    - ``_validation_rows(y_ind, rng)``: the rows held out when
      ``early_stopping=True``, or ``None`` after a warning (see
      ``_warn_without_early_stopping``) when none can be. The default holds
      out ``validation_fraction`` of every class
      (:func:`~sklearn_zsl.utils.stratified_validation_indices`).
    - ``_resolve_max_epochs(n_train)``: the number of epochs, from the number
      of training rows; the default is ``max_epochs``.
    - ``_net_callbacks()``: named callbacks of the model itself, run before
      the user's; the default is none.
    """

    def _fit_model(self, X, y_ind):
        self.device_ = resolve_device(self.device)
        rng = check_random_state(self.random_state)
        seed = seed_from_random_state(rng)
        valid_rows = self._validation_rows(y_ind, rng) if self.early_stopping else None
        net_class, params, dataset = self._define_net(X, y_ind, valid_rows, rng, seed)
        n_train = y_ind.shape[0] - (0 if valid_rows is None else len(valid_rows))
        self.net_ = net_class(
            **params,
            **skorch_params(
                lr=self.lr,
                max_epochs=self._resolve_max_epochs(n_train),
                batch_size=self.batch_size,
                device=self.device_,
                shuffle_seed=seed_from_random_state(rng),
                callbacks=self.callbacks,
                net_callbacks=self._net_callbacks(),
                valid_indices=valid_rows,
                n_iter_no_change=self.n_iter_no_change,
                tol=self.tol,
                verbose=self.verbose,
                desc=type(self).__name__,
            ),
        )
        with torch_seeded(seed, self.device_):
            self.net_.fit(dataset, None)
            self._record_history()
            self._warn_if_interrupted()
            self.net_.module_.eval()
            self._finish_fit(X, y_ind, rng)
        return self

    def _define_net(self, X, y_ind, valid_rows, rng, seed):  # pragma: no cover
        raise NotImplementedError(f"{type(self).__name__} must define _define_net")

    def _finish_fit(self, X, y_ind, rng):  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must define _finish_fit")

    def _validation_rows(self, y_ind, rng):
        rows = stratified_validation_indices(y_ind, self.validation_fraction, rng)
        if rows.size:
            return rows
        self._warn_without_early_stopping(
            "but no class has enough samples to hold out a validation fraction "
            f"of {self.validation_fraction}"
        )
        return None

    def _warn_without_early_stopping(self, problem):
        """Warn, from ``_validation_rows``, that no rows can be held out."""
        warnings.warn(
            f"early_stopping=True {problem}; training for max_epochs="
            f"{self.max_epochs} epochs without early stopping. Set "
            "early_stopping=False to silence this warning.",
            UserWarning,
            # this, _validation_rows, _fit_model, _fit_numerically_checked,
            # fit and its _fit_context wrapper: point at the caller of fit
            stacklevel=7,
        )

    def _resolve_max_epochs(self, n_train):
        return self.max_epochs

    def _net_callbacks(self):
        return []

    def _record_history(self):
        self.n_iter_ = len(self.net_.history)
        stopper = dict(self.net_.callbacks_).get("early_stopping")
        # The stopper restored the weights of its best epoch; its best_epoch_
        # is 0 when training ended before the first validation loss, and the
        # weights are the last step's. Epochs count from 1.
        if stopper is not None and stopper.best_epoch_:
            self.best_epoch_ = int(stopper.best_epoch_)
        else:
            self.best_epoch_ = self.n_iter_

    def _warn_if_interrupted(self):
        """Warn when training ended early, neither finished nor early-stopped.

        skorch ends training quietly on a ``KeyboardInterrupt`` (Ctrl-C, or a
        callback raising it); the model is then completed with the weights
        the net holds: the best epoch's with early stopping, else the last.
        """
        net = self.net_
        history, max_epochs = net.history, net.max_epochs
        finished = len(history) >= max_epochs and "train_loss" in history[-1]
        stopper = dict(net.callbacks_).get("early_stopping")
        if finished or (stopper is not None and stopper.misses_ >= stopper.patience):
            return
        if stopper is not None and stopper.best_epoch_:
            kept = f"the weights of epoch {self.best_epoch_}, the best validation loss"
        else:
            kept = "the weights of the last training step"
        warnings.warn(
            f"{type(self).__name__} training was interrupted (KeyboardInterrupt) "
            f"in epoch {len(history)} of {max_epochs}; the model was completed "
            f"with {kept} and can be used. Fit again to train it fully, or "
            "resume from a skorch Checkpoint with LoadInitState (see the user "
            "guide).",
            UserWarning,
            # this, _fit_model, _fit_numerically_checked, fit and its
            # _fit_context wrapper: point at the caller of fit
            stacklevel=6,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Scatter-adds on CUDA are not deterministic.
        device = self.device if isinstance(self.device, str) else "cpu"
        tags.non_deterministic = device.startswith("cuda") or (
            device == "auto" and torch.cuda.is_available()
        )
        return tags

    def __setstate__(self, state):
        super().__setstate__(state)
        # A model unpickled where its training GPU is missing has its net
        # loaded on the CPU by skorch (with a DeviceWarning): predict there.
        net = self.__dict__.get("net_")
        if net is not None and "device_" in self.__dict__:
            self.device_ = str(net.device)
