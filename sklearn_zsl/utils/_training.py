"""skorch override points and checks shared by the deep estimators' training."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import torch


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


def warn_if_interrupted(estimator) -> None:
    """Warn when training ended early, neither finished nor early-stopped.

    skorch ends training quietly on a ``KeyboardInterrupt`` (Ctrl-C, or a
    callback raising it); the estimator is then completed with the weights
    its net holds: the best epoch's with early stopping, else the last.

    Parameters
    ----------
    estimator : estimator with ``net_`` and ``best_epoch_``
        The estimator whose training just ended.
    """
    net = estimator.net_
    history, max_epochs = net.history, net.max_epochs
    finished = len(history) >= max_epochs and "train_loss" in history[-1]
    stopper = dict(net.callbacks_).get("early_stopping")
    if finished or (stopper is not None and stopper.misses_ >= stopper.patience):
        return
    if stopper is not None and stopper.best_epoch_:
        kept = f"the weights of epoch {estimator.best_epoch_}, the best validation loss"
    else:
        kept = "the weights of the last training step"
    warnings.warn(
        f"{type(estimator).__name__} training was interrupted (KeyboardInterrupt) "
        f"in epoch {len(history)} of {max_epochs}; the model was completed with "
        f"{kept} and can be used. Fit again to train it fully, or resume from a "
        "skorch Checkpoint with LoadInitState (see the user guide).",
        UserWarning,
        stacklevel=5,
    )
