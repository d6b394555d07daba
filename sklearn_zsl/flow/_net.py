"""The IZF training objective and the skorch net that optimises it.

:class:`_IZFObjective` combines the loss terms of :mod:`sklearn_zsl.flow._losses`
into the weighted objective of Shen et al. (ECCV 2020); :class:`_IZFNet` is a
:class:`skorch.NeuralNet` that hands the flow itself to that objective (the
centralising and negative-sample terms run the flow backwards) and refuses to
take an optimiser step on a non-finite loss.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import torch
from skorch import NeuralNet
from torch import nn

from sklearn_zsl.flow._losses import (
    centralizing_loss,
    flow_nll,
    negative_mmd_loss,
    semantic_loss,
)
from sklearn_zsl.utils._skorch import _GuardedNetMixin


class _IZFObjective(nn.Module):
    """Weighted IZF objective of one mini-batch.

    ``nll + semantic_weight * semantic + centralizing_weight * centralizing
    + mmd_weight * negative``, where

    - ``nll`` is :func:`flow_nll`, the exact negative log-likelihood of the
      non-semantic factor per flow dimension;
    - ``semantic`` is :func:`semantic_loss` between the semantic factor and
      the semantics of each sample's class;
    - ``centralizing`` is :func:`centralizing_loss` between the zero-noise
      prototypes of the classes present in the batch and their mean training
      features (computed once over the whole training set, so the target does
      not fluctuate from batch to batch), plus in training the prototypes of
      the ``anchored_classes`` and their given means;
    - ``negative`` is :func:`negative_mmd_loss` (``-MMD²`` without
      ``mmd_margin``, the hinge ``relu(mmd_margin - MMD²)`` with it, plus
      ``range_weight`` times the penalty on negatives outside [0, 1]) between
      the real batch and as many features
      generated from the semantics of *negative* classes (the unseen classes,
      drawn uniformly with replacement). It is only used in training: it is
      the one term that needs no real sample of the class.

    A weight of 0 skips its term (and its inverse passes). Class semantics,
    class means and negative classes are buffers, so they follow the module
    across devices.

    Parameters
    ----------
    class_semantics : torch.Tensor of shape (n_classes, n_semantic)
        Scaled semantics of every class.
    class_means : torch.Tensor of shape (n_classes, n_features)
        Mean scaled training features of every class (any value for classes
        without training sample: they are never indexed).
    negative_classes : torch.Tensor of shape (n_negative,)
        Indices of the classes whose generated features are pushed away from
        the real ones; may be empty.
    semantic_weight, centralizing_weight, mmd_weight : float
        Weights of the terms, >= 0.
    mmd_margin : float or None
        Margin of the hinge on the MMD²; None for the unbounded ``-MMD²``.
    range_weight : float
        Weight of the penalty on negatives outside the data range, >= 0.
    anchored_classes : torch.Tensor of shape (n_anchored,) or None
        Indices of classes without training samples (the unseen ones) whose
        prototypes are centralised in training too, onto the rows of
        ``class_means`` given for them (means regressed from the semantics);
        None or empty for none.
    """

    def __init__(
        self,
        class_semantics: torch.Tensor,
        class_means: torch.Tensor,
        negative_classes: torch.Tensor,
        *,
        semantic_weight: float = 1.0,
        centralizing_weight: float = 1.0,
        mmd_weight: float = 1.0,
        mmd_margin: float | None = None,
        range_weight: float = 0.0,
        anchored_classes: torch.Tensor | None = None,
    ):
        super().__init__()
        assert class_semantics.ndim == 2 and class_means.ndim == 2, (
            f"expected 2-D class_semantics and class_means, got shapes "
            f"{tuple(class_semantics.shape)} and {tuple(class_means.shape)}"
        )
        assert class_semantics.shape[0] == class_means.shape[0], (
            f"{class_semantics.shape[0]} class semantics but "
            f"{class_means.shape[0]} class means"
        )
        self.register_buffer("class_semantics", class_semantics)
        self.register_buffer("class_means", class_means)
        self.register_buffer("negative_classes", negative_classes.long())
        if anchored_classes is None:
            anchored_classes = negative_classes.new_zeros(0)
        self.register_buffer("anchored_classes", anchored_classes.long())
        self.semantic_weight = semantic_weight
        self.centralizing_weight = centralizing_weight
        self.mmd_weight = mmd_weight
        self.mmd_margin = mmd_margin
        self.range_weight = range_weight

    def forward(self, flow, outputs, y, x, *, training: bool = True):
        """Return the objective of one batch.

        Parameters
        ----------
        flow : _IZFFlow
            The flow; run backwards for the prototypes and the negatives.
        outputs : tuple of torch.Tensor
            ``(c, z, log_det)`` returned by ``flow(x)``.
        y : torch.Tensor of shape (n_samples,)
            Class index of each sample.
        x : torch.Tensor of shape (n_samples, n_features)
            The scaled features of the batch.
        training : bool, default=True
            Whether the batch is a training batch; the negative-sample term is
            only added in training.

        Returns
        -------
        loss : torch.Tensor of shape ()
            The weighted objective.
        """
        c, z, log_det = outputs
        loss = flow_nll(z, log_det, flow.n_dims)
        if self.semantic_weight:
            target = self.class_semantics[y]
            loss = loss + self.semantic_weight * semantic_loss(c, target)
        present = negative = None
        if self.centralizing_weight:
            present = torch.unique(y)
            if training and self.anchored_classes.numel():
                present = torch.cat([present, self.anchored_classes])
        if training and self.mmd_weight and self.negative_classes.numel():
            draw = torch.randint(
                self.negative_classes.numel(), (x.shape[0],), device=x.device
            )
            negative = self.negative_classes[draw]
        prototypes, negatives = self.reverse_pass(flow, present, negative)
        if present is not None:
            loss = loss + self.centralizing_weight * centralizing_loss(
                prototypes, self.class_means[present]
            )
        if negative is not None:
            loss = loss + self.mmd_weight * negative_mmd_loss(
                x, negatives, self.mmd_margin, self.range_weight
            )
        return loss

    def reverse_pass(self, flow, prototype_classes, negative_classes):
        """Prototypes and generated negatives of one step, in one reverse pass.

        The same as ``flow.prototypes(S[prototype_classes])`` followed by
        ``flow.sample(S[negative_classes])`` (same draws of the global
        random generator, same values up to rounding), with the rows of both
        stacked into one pass: half the layer calls, and larger products.

        Parameters
        ----------
        flow : _IZFFlow
            The flow to run backwards.
        prototype_classes, negative_classes : torch.Tensor of shape (n,) or None
            Class indices of the zero-noise prototypes and of the negatives
            (one generated feature per entry); None for none.

        Returns
        -------
        prototypes, negatives : torch.Tensor of shape (n, n_features) or None
            Each None where its classes are.
        """
        rows = [
            classes
            for classes in (prototype_classes, negative_classes)
            if classes is not None
        ]
        if not rows:
            return None, None
        semantics = self.class_semantics[torch.cat(rows)]
        noise = []
        if prototype_classes is not None:
            noise.append(semantics.new_zeros(prototype_classes.numel(), flow.n_noise))
        if negative_classes is not None:
            # flow.sample's draw, so that the step's random numbers are its own
            noise.append(
                torch.randn(
                    negative_classes.numel(),
                    flow.n_noise,
                    dtype=semantics.dtype,
                    device=semantics.device,
                )
            )
        generated = flow.inverse(semantics, torch.cat(noise))
        n_prototypes = 0 if prototype_classes is None else prototype_classes.numel()
        prototypes = None if prototype_classes is None else generated[:n_prototypes]
        negatives = None if negative_classes is None else generated[n_prototypes:]
        return prototypes, negatives


class _IZFNet(_GuardedNetMixin, NeuralNet):
    """A skorch net training an :class:`_IZFFlow` on the IZF objective.

    Batches are ``(x, y)`` pairs: ``x`` goes through the flow, and the
    criterion (an :class:`_IZFObjective`) receives the flow, its outputs,
    ``y`` and ``x``. A non-finite training loss raises a ``ValueError``
    before the optimiser steps, so the weights of the last finite step stay
    in place and a diverged model is never returned silently.

    ``max_epochs`` counts every epoch of the history, including those of a
    history loaded when training begins (skorch's ``LoadInitState``
    callback): a run resumed from a checkpoint trains the remaining epochs
    only.
    """

    _divergence_hint = (
        "Lower lr, raise the regularisation (max_grad_norm, a smaller "
        "mmd_weight) or check X for extreme values."
    )

    def get_loss(self, y_pred, y_true, X=None, training=False):
        return self.criterion_(self.module_, y_pred, y_true, X, training=training)
