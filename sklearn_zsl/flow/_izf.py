"""The Invertible Zero-shot Flow (IZF) classifier."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import copy
from numbers import Integral, Real

import numpy as np
import torch
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import GradientNormClipping

from sklearn_zsl.base import SEMANTIC_PARAMETER_CONSTRAINTS, ZeroShotClassifierMixin
from sklearn_zsl.flow._losses import imq_mmd
from sklearn_zsl.flow._modules import _IZFFlow
from sklearn_zsl.flow._net import _IZFNet, _IZFObjective
from sklearn_zsl.generative._base import GenerativeMixin
from sklearn_zsl.generative._gfzsl import _ridge_with_intercept
from sklearn_zsl.generative._heads import (
    fit_softmax_head,
    gaussian_log_likelihood,
    softmax_head_scores,
)
from sklearn_zsl.model_selection._holdout import hold_out_classes
from sklearn_zsl.utils._data import TensorDataset
from sklearn_zsl.utils._docstring import _fill_shared_docs
from sklearn_zsl.utils._skorch import (
    EARLY_STOPPING_PARAMETER_CONSTRAINTS,
    NN_PARAMETER_CONSTRAINTS,
    DeepEstimatorMixin,
)
from sklearn_zsl.utils._torch import seed_from_random_state

__all__ = ["IZFClassifier"]

#: Paper-sized settings (section 3.2 of the design notes): five coupling blocks
#: of width 1024 as in the authors' development code, about 11k Adam steps of
#: batch 256 on CUB-sized data; meant for a GPU.
PAPER_PARAMS = {
    "n_blocks": 5,
    "hidden_size": 1024,
    "lr": 5e-4,
    "batch_size": 256,
    "max_epochs": 400,
    "n_synthetic_per_class": 300,
    "device": "auto",
}

#: Synthetic features per unseen class of the paper-sized preset, by dataset.
PAPER_SYNTHETIC_PER_CLASS = {
    "AWA1": 2000,
    "AWA2": 2000,
    "APY": 1000,
    "CUB": 300,
    "SUN": 300,
}

#: With ``max_epochs="auto"``: about this many optimiser steps, in this many
#: epochs at least and at most.
_AUTO_STEPS = 1500
_AUTO_EPOCHS = (20, 500)
# Rows run through the flow at once at prediction and generation time.
_CHUNK_ROWS = 4096
# Ancestral draws per class that estimate how far the mean of a class's
# generated features lies from its zero-noise prototype (center_generated).
_OFFSET_DRAWS = 256
# Iterations of L-BFGS for the softmax classifier.
_HEAD_MAX_ITER = 500
# Floor of the Gaussian classifier's variance of a scaled feature, relative to
# the mean over the features: a feature (pixel) that hardly varies within the
# seen classes must not decide alone (measured on the real digits).
_GAUSSIAN_VARIANCE_FLOOR = 1e-2
# Standard deviation of the noise that pads scaled features narrower than the
# semantics, when the semantic term is off (the prior of z has unit variance).
_PADDING_STD = 1.0
# Rows per side of each MMD² that sets mmd_margin="auto".
_MARGIN_ROWS = 256


def _min_max(values):
    """Minimum and span of each column; constant columns get a span of 1."""
    low = values.min(axis=0)
    span = values.max(axis=0) - low
    return low, np.where(span > 0, span, 1.0).astype(values.dtype)


def _class_means(X, y_ind, n_classes):
    """Mean row of ``X`` per class index (zeros for classes without rows)."""
    n_samples = X.shape[0]
    onehot = sparse.csr_matrix(
        (np.ones(n_samples, dtype=X.dtype), (y_ind, np.arange(n_samples))),
        shape=(n_classes, n_samples),
    )
    counts = np.bincount(y_ind, minlength=n_classes).astype(X.dtype)
    return np.asarray(onehot @ X) / np.maximum(counts, 1)[:, np.newaxis]


def _regressed_means(semantics, means, trained, targets):
    """Class means of ``targets`` predicted from their semantics.

    A ridge regression (intercept unpenalised, strength ``"auto"``, as in
    :class:`~sklearn_zsl.generative.GFZSLClassifier`) from the semantics of
    the ``trained`` classes to their mean features.
    """
    coef, intercept, _ = _ridge_with_intercept(
        semantics[trained].astype(np.float64),
        means[trained].astype(np.float64),
        "auto",
    )
    return semantics[targets] @ coef + intercept


def _class_group_mmd(X, y_ind, fraction, *, n_rows, random_state, n_repeats=8):
    """Mean MMD² between real samples of random groups of classes and the rest.

    Each repeat draws ``round(fraction * n_classes)`` classes (at least one,
    at most all but one) and up to ``n_rows`` samples of those classes and of
    the others, and measures :func:`imq_mmd` between the two samples: how far
    a group of new classes lies from the known ones, in the kernel distance
    the negative-sample term uses.
    """
    rng = check_random_state(random_state)
    classes = np.unique(y_ind)
    n_group = int(np.clip(round(fraction * classes.size), 1, classes.size - 1))
    values = []
    for _ in range(n_repeats):
        in_group = np.isin(y_ind, rng.choice(classes, n_group, replace=False))
        sides = [np.flatnonzero(~in_group), np.flatnonzero(in_group)]
        rows = [
            rng.choice(side, min(n_rows, side.size), replace=False) for side in sides
        ]
        with torch.no_grad():
            mmd = imq_mmd(torch.from_numpy(X[rows[0]]), torch.from_numpy(X[rows[1]]))
        values.append(float(mmd))
    return float(np.mean(values))


def _held_out_mean_errors(X, y, model, means, variances):
    """Squared error of each held-out class's generated mean, per feature.

    For every class of ``y`` that ``model`` did not see: the mean over the
    features of (sample mean - ``means`` row)² / ``variances`` row, less
    1 / n_samples, what the sampling noise of the sample mean adds to it on
    average.
    """
    errors = []
    for label in np.setdiff1d(y, model.seen_classes_):
        row = np.searchsorted(model.classes_, label)
        samples = X[y == label]
        residual = samples.mean(axis=0, dtype=np.float64) - means[row]
        error = np.mean(residual**2 / variances[row]) - 1.0 / samples.shape[0]
        errors.append(float(error))
    return errors


def _prototype_error(errors):
    """The unseen widening: the held-out classes' mean error, at least 0."""
    error = float(np.mean(errors))
    if not np.isfinite(error):
        raise ValueError(_diverged("generates non-finite class means"))
    return max(error, 0.0)


def _validation_classes(y_ind, fraction, rng):
    """Seen classes held out for early stopping, or None when too few.

    ``fraction`` of the seen classes, rounded up, as many as leave two to
    train on (:func:`~sklearn_zsl.model_selection._holdout.hold_out_classes`).
    """
    seen = np.unique(y_ind)
    held_out = hold_out_classes(seen.shape[0], fraction, n_kept=2, random_state=rng)
    return seen[held_out] if held_out.size else None


@_fill_shared_docs
class IZFClassifier(
    GenerativeMixin,
    DeepEstimatorMixin,
    ZeroShotClassifierMixin,
    ClassifierMixin,
    BaseEstimator,
):
    """Invertible Zero-shot Flow (IZF), a flow that generates unseen-class features.

    IZF learns an invertible network whose forward pass splits a feature
    vector into a *semantic factor*, trained to equal the semantics of the
    sample's class, and a *non-semantic factor* with a standard normal prior.
    Run backwards from the semantics of any class, seen or unseen, and
    Gaussian noise, the same network *generates* features of that class.
    Features generated for the unseen classes are pushed away from the real
    seen ones during training (a negative-sample kernel distance, bounded
    here so that it cannot run away), the paper's fix for the bias of
    zero-shot models towards seen classes.

    Three classifiers can sit on top: ``"softmax"`` (the paper's headline
    model) trains a linear softmax classifier on the real seen features plus
    generated features of every unseen class; ``"gaussian"`` scores each
    class by a Gaussian around its mean, the generated one for an unseen
    class; ``"bayes"`` assigns the class whose semantics are nearest to the
    semantic factor (the maximum-likelihood class). By default
    (``"auto"``) the better of the first two on held-out seen classes is
    chosen in :meth:`fit`.

    Read more in the :ref:`User Guide <izf>`.

    Parameters
    ----------
    %(class_semantics)s
    classifier : {"auto", "softmax", "gaussian", "bayes"}, default="auto"
        How samples are classified. ``"softmax"``: freeze the flow, generate
        ``n_synthetic_per_class`` features for every unseen class and train
        a linear softmax classifier on them and the real training features;
        scores are its logits. ``"gaussian"``: every class is a Gaussian with
        the pooled within-class variance of the seen classes (widened by
        ``prototype_error`` for an unseen class), around its sample mean
        (seen classes) or the mean of its generated features (unseen
        classes); scores are log-likelihoods. ``"auto"``: the one of
        these two with the larger AUSUC on more of the calibration splits of
        ``seen_penalty="auto"`` (held-out seen classes play unseen; one
        split, three with up to 45 seen classes), which costs no extra fit
        with that default and one flow fit per split otherwise; the choice
        is ``classifier_``. ``"bayes"``: the class whose (scaled)
        semantics are nearest to the semantic factor, with
        :meth:`predict_proba` from the Gaussian likelihood of the semantic
        factor; weaker in generalised ZSL (see Notes).
    n_blocks : int, default=2
        Number of coupling blocks (each preceded by a fixed random
        permutation). The paper-sized preset (:meth:`from_paper`) uses 5.
    hidden_size : int, default=256
        Hidden width of the coupling sub-networks. The paper-sized preset uses
        1024; the default is reduced so that CUB-sized data trains in minutes
        on a CPU.
    clamp : float, default=2.0
        Bound on the absolute value of every log-scale of the couplings.
    semantic_weight : float, default=10.0
        Weight of the squared error between the semantic factor and the class
        semantics; 0 disables the term.
    centralizing_weight : float, default=1.0
        Weight of the centralising term, the distance between each seen
        class's zero-noise generated feature and its mean training feature;
        0 disables it.
    mmd_weight : float, default=1.0
        Weight of the negative-sample term, which pushes features generated
        from the semantics of the unseen classes away from the real training
        batch (a kernel MMD); 1 is the paper's weight. 0 disables it; it has
        no effect without unseen classes.
    mmd_margin : float, "auto" or None, default="auto"
        The negative-sample term is the hinge ``relu(mmd_margin - MMD²)``: the
        push stops once the generated unseen features are as far (in MMD²)
        from the real ones as the margin. ``"auto"`` measures the margin on
        the training data: the mean MMD² between real samples of random
        groups of seen classes (as many, in proportion, as the unseen ones)
        and the other seen classes, i.e. how far real new classes lie from
        the known ones. ``None`` is the paper's unbounded ``-MMD²``, which
        has no optimum and **is unstable**: with longer training or a wider
        flow the generated features run away from all data (see Notes).
    range_weight : float, default=10.0
        Weight, relative to ``mmd_weight``, of a penalty on generated
        negatives outside the range of the training features: the mean
        squared distance of each scaled negative to the box [0, 1]^n_features.
        0 disables it.
    anchor_unseen : bool, default=True
        Whether the centralising term also pulls the zero-noise prototype of
        every *unseen* class onto a class mean predicted from its semantics:
        a ridge regression from the semantics of the seen classes to their
        mean features, the closed-form estimate of
        :class:`~sklearn_zsl.generative.GFZSLClassifier`. Without it, where
        the flow puts an unseen class depends only on how its reverse pass
        extrapolates between the seen classes (see Notes).
    center_generated : bool, default=True
        Whether generated features of each class are shifted so that their
        mean is the class's zero-noise prototype, the point the centralising
        term puts on the class mean (the ridge anchor for unseen classes).
        Through the nonlinear reverse pass the mean of ancestral samples
        drifts away from it (see Notes); ``False`` is the paper's sampling.
    prototype_error : float or "auto", default="auto"
        How far, on average, an unseen class's generated mean lies from its
        true mean: the mean squared error per feature, as a multiple of the
        within-class variance. The Gaussian classifier widens every unseen
        class by it (variance times ``1 + prototype_error``), its predictive
        distribution given that its mean is only an estimate; seen classes,
        whose means are sample means, keep their variance. ``"auto"``
        measures it on the calibration splits, where whole seen classes are
        held out and their generated means can be compared with their
        samples' (see Notes), which costs no extra fit with
        ``seen_penalty="auto"`` and one flow fit per split otherwise; 0 is
        the unwidened classifier. Used only with ``classifier="gaussian"``,
        or ``"auto"`` when it chooses that head.
    n_synthetic_per_class : int, default=300
        Features generated for every unseen class to train the softmax
        classifier. Unused with ``classifier="bayes"``.
    max_grad_norm : float or None, default=10.0
        Gradients of the flow are clipped to this global L2 norm;
        ``None`` does not clip.
    lr : float, default=1e-3
        Learning rate of the Adam optimiser of the flow.
    batch_size : int, default=256
        Number of samples per mini-batch (and of generated negatives); -1
        uses all samples at once.
    max_epochs : int or "auto", default="auto"
        Maximum number of passes over the training data. ``"auto"`` gives
        about 1,500 optimiser steps (a flow needs steps, not passes): as many
        epochs as that takes, at least 20 and at most 500.
    softmax_C : float, default=1.0
        Inverse L2 regularisation strength of the softmax classifier (a
        :class:`~sklearn.linear_model.LogisticRegression`). Unused with
        ``classifier="bayes"``.
    early_stopping : bool, default=False
        Whether to hold out ``validation_fraction`` of the seen *classes*
        (class-disjoint, like zero-shot test classes) and stop when their
        loss has not improved for ``n_iter_no_change`` epochs, keeping the
        best weights (see Notes).
    validation_fraction : float, default=0.2
        Share of the seen classes held out for early stopping.
    n_iter_no_change : int, default=10
        Number of epochs without improvement before stopping.
    tol : float, default=1e-4
        Relative improvement of the validation loss that counts as one.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device of the training; ``"auto"`` takes a GPU when available.
        ``"cuda"`` without a GPU raises a ``ValueError``.
    random_state : int, RandomState instance or None, default=None
        Controls the weights, the permutations, the shuffling, the negative
        samples, the validation classes and the synthetic features. An int
        gives identical fits on CPU.
    verbose : int, default=0
        0 is silent, 1 shows progress bars over the epochs, 2 also prints
        skorch's table of losses.
    callbacks : list of skorch callbacks, default=None
        Extra :mod:`skorch.callbacks` of the flow's net (instances or
        ``(name, callback)`` pairs), cloned at every fit; e.g. a
        :class:`~skorch.callbacks.Checkpoint` and a
        :class:`~skorch.callbacks.LoadInitState` to resume training (see
        Notes).
    %(seen_penalty)s

    Attributes
    ----------
    %(class_attributes)s
    class_semantics_ : ClassSemantics
        The validated semantics, rows in the order of ``classes_``; all its
        modalities are concatenated.
    net_ : skorch.NeuralNet
        The fitted skorch net of the flow; its ``module_`` is the flow and
        its ``history`` holds the losses of every epoch.
    classifier_ : {"softmax", "gaussian", "bayes"}
        The classifier used: ``classifier``, or the head chosen by ``"auto"``
        (``"softmax"`` where it cannot choose: without unseen classes, or with
        too few seen classes to hold some out, with a warning).
    classifier_scores_ : dict or None
        With ``classifier="auto"``, the validation AUSUC of each head on each
        calibration split (``{"softmax": array, "gaussian": array}``, one
        value per split); ``classifier_`` is the head with the larger AUSUC
        on more splits (on a tie, the larger mean). ``None`` when nothing was
        chosen.
    head_ : LogisticRegression or None
        The fitted softmax classifier on min-max scaled features when
        ``classifier_="softmax"``, else ``None``.
    means_ : ndarray of shape (n_classes, n_features) or None
        When ``classifier_="gaussian"``, the mean of each class's Gaussian in
        the units of ``X``: the sample mean of a seen class, the mean of the
        generated features of an unseen class (its zero-noise prototype with
        ``center_generated=True``); else ``None``.
    variances_ : ndarray of shape (n_classes, n_features) or None
        When ``classifier_="gaussian"``, the per-feature variances of every
        class's Gaussian in the units of ``X``: the pooled within-class
        variances of the seen classes, times ``1 + prototype_error_`` for
        an unseen class; else ``None``.
    prototype_error_ : float or None
        When ``classifier_="gaussian"``, the widening of its unseen classes:
        ``prototype_error``, or the one measured by ``"auto"`` (0.0 where
        nothing is held out, with a warning); else ``None``.
    device_ : str
        The device trained on.
    feature_min_ : ndarray of shape (n_features,)
        Minimum of each training feature.
    feature_scale_ : ndarray of shape (n_features,)
        Range of each training feature (1 where constant): the flow models
        ``(X - feature_min_) / feature_scale_``.
    semantics_min_ : ndarray of shape (n_dims,)
        Minimum of each semantic dimension over all classes.
    semantics_scale_ : ndarray of shape (n_dims,)
        Range of each semantic dimension over all classes (1 where constant).
    semantic_variance_ : float
        Variance :math:`\\sigma^2` of the scaled semantic factor around the
        class semantics, fitted on the training samples; the width of the
        Gaussian likelihood of ``classifier="bayes"`` and of the semantic
        factor drawn by :meth:`sample`.
    mmd_margin_ : float or None
        The margin of the negative-sample term used in training (``None``:
        the unbounded term, or no term).
    generation_offset_ : ndarray of shape (n_classes, n_features)
        Per class, in the units of ``X``: the mean of ``256`` ancestral draws
        minus the zero-noise prototype, subtracted from every generated
        feature of the class (zeros with ``center_generated=False``).
    validation_classes_ : ndarray of shape (n_validation_classes,)
        Seen classes held out for early stopping (empty without).
    n_iter_ : int
        Number of epochs run, those of a history resumed from a checkpoint
        included.
    best_epoch_ : int
        Epoch (from 1) whose weights were kept: with early stopping, the last
        one to improve the best validation loss by more than ``tol``
        (relative); else the last epoch.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    GFZSLClassifier : Closed-form Gaussian generative model, the yardstick.
    DEMClassifier : Deep embedding model, nearest embedded class semantics.
    ESZSLClassifier : A closed-form bilinear model.

    Notes
    -----
    **Scaling.** As in the authors' code, each feature is min-max scaled to
    [0, 1] on the training data and each semantic dimension is min-max scaled
    over all classes (seen and unseen semantics are available in inductive
    zero-shot learning); generated features and the semantic factor are
    returned in the original units.

    **Objective.** With :math:`f(x) = [\\hat c; \\hat z]` the flow on a scaled
    feature :math:`x` of class :math:`y` with scaled semantics :math:`c_y`,
    :math:`D` its width and :math:`d_c` the semantic dimension, each batch
    minimises

    .. math::

        \\frac{1}{D}\\Big(\\tfrac12\\|\\hat z\\|^2
        - \\log|\\det J_f(x)|\\Big)
        + \\lambda_s \\frac{1}{d_c}\\|\\hat c - c_y\\|^2
        + \\lambda_c \\,\\|f^{-1}([c_y; 0]) - \\mu_y\\|
        - \\lambda_m \\,\\mathrm{MMD}^2(X_s, \\hat X_u),

    averaged over the batch (the centralising term over the classes present,
    with :math:`\\mu_y` the mean training feature of class :math:`y`); the
    weights are ``semantic_weight``, ``centralizing_weight`` and
    ``mmd_weight``. :math:`\\hat X_u = f^{-1}([c_u; z])`, :math:`z \\sim N(0,
    I)`, are as many generated features as the batch has real ones, from
    unseen classes :math:`u` drawn uniformly. The MMD is the biased estimate
    with an inverse multiquadric kernel summed over the scales 0.1, 0.2, 1.5,
    3, 5 and 10. Only the *semantics* of unseen classes are used, never their
    samples: the model is inductive.

    **Padding.** The flow needs more dimensions than the semantics. When
    ``n_features`` is not larger than the semantic dimension :math:`d_c`,
    the scaled features are padded with :math:`d_c` columns of Gaussian noise
    in training (an augmented flow: a density of the features times that of
    the noise) and with zeros at prediction; generated features drop those
    columns. The noise has the semantic factor's own spread,
    :math:`s = \\sqrt{d_c / (2 \\lambda_s D)}` (the objective is the
    density in which :math:`\\hat c \\sim N(c_y, s^2 I)`), so the flow can
    route it to the semantic factor without paying log-determinant. Zero
    padding is degenerate: a density on a lower-dimensional set is unbounded,
    the couplings pin their log-scales on the padding at the clamp and
    generated unseen features leave the data's manifold.

    **Unseen classes are anchored** (``anchor_unseen=True``). The paper's
    flow learns where to put an unseen class only through how its reverse
    pass extrapolates from the seen classes' semantics, which placed them
    worse than a ridge regression from semantics to class means does (the
    closed-form estimate of :class:`~sklearn_zsl.generative.GFZSLClassifier`;
    measurements in the :ref:`User Guide <izf>`). The centralising term
    therefore also pulls the zero-noise prototype :math:`f^{-1}([c_u; 0])`
    of every unseen class onto that regression's prediction of its mean
    (fitted on the seen classes that are trained on, so only seen samples and
    unseen *semantics* are used).

    **Generation** is ancestral sampling from the flow's density:
    :math:`\\hat c \\sim N(c_y, \\sigma^2 I)` with :math:`\\sigma^2` =
    ``semantic_variance_`` and :math:`z \\sim N(0, I)`, run backwards.
    Fixing :math:`\\hat c = c_y` would drop the within-class variation the
    flow puts in the semantic factor and generate classes narrower than the
    real ones (thin lines instead of round clusters on the paper's toy).
    The centralising term trains the zero-noise prototype
    :math:`f^{-1}([c_y; 0])` to be the class mean, but the mean of the
    ancestral samples is not the image of the mean noise: the reverse pass
    is nonlinear, and the samples' mean drifts from the prototype. With
    ``center_generated=True`` every generated feature of a class is shifted
    by the drift of that class, estimated at fit from 256 draws
    (``generation_offset_``), so that the generated class mean is the
    prototype and the shape of the class is the flow's. Unseen prototypes
    lie near their ridge anchors, nearer the real unseen means than the
    uncentred samples' means on 5 of the 6 tasks we measured, and the
    softmax classifier trained on centred samples ranks better on most
    tasks (see the :ref:`User Guide <izf>`).

    **Classifiers.** If :math:`\\hat z` has a class-independent prior and the
    Jacobian is shared, :math:`\\log p(x \\mid y) = -\\|\\hat c -
    c_y\\|^2 / (2\\sigma^2) + \\mathrm{const}`: ``classifier="bayes"`` returns
    these log-likelihoods as :meth:`decision_function` and their softmax
    (uniform class prior) as :meth:`predict_proba`, with
    :math:`\\sigma^2` = ``semantic_variance_``, the mean squared residual of
    the training samples. ``classifier="softmax"`` follows the f-CLSWGAN
    protocol: a multinomial logistic regression (a linear softmax layer) on
    scaled features, trained on the real training features and
    ``n_synthetic_per_class`` generated features of every unseen class. It
    is fitted to convergence by L-BFGS with an L2 penalty (``softmax_C``)
    rather than by a few epochs of SGD: the optimum is unique and needs no
    learning rate or epoch count, and its cost is small next to the flow's.
    ``classifier="gaussian"`` is not in the paper: a Gaussian classifier
    with a diagonal covariance shared by all classes (linear discriminant
    analysis), on the seen classes' sample means and the unseen classes'
    generated means, like the Bayes classifier of
    :class:`~sklearn_zsl.generative.GFZSLClassifier` but with the flow's
    unseen means. With ``anchor_unseen=True`` those sit on their ridge
    anchors, GFZSL's means on min-max scaled semantics, wherever the seen
    classes are many enough to pin them (on our semi-synthetic grid this
    head is that model; see the :ref:`User Guide <izf>`). Its variances are
    floored at 1% of their mean over the features, so that a feature (a
    pixel) that hardly varies within the seen classes cannot decide alone.
    An unseen class's mean is an estimate, farther from the truth than a
    seen class's sample mean; the head widens every unseen class, its
    variances times :math:`1 + r` with :math:`r` = ``prototype_error_``,
    which is the predictive distribution of a class whose mean has an error
    of covariance :math:`r` times the within-class one. ``"auto"`` measures
    :math:`r` on the calibration splits: over the held-out classes of all
    splits, the mean over the features of the squared error of the generated
    mean against the samples' mean, in within-class variances, less what the
    samples' own noise adds (:math:`1/n`). The widening changes no ranking
    among unseen classes, only how each sample weighs seen against unseen
    ones, by its distance rather than by a constant as the seen penalty
    does. With few seen classes :math:`r` is noisy and tends to be too
    large, as the calibration flows train on fewer classes: with seven, on
    16 real digit tasks, it was 0.58 to 3.5 times the error of the final
    flow's unseen means (0.97 and 1.19 times at the median with two seeds),
    and 4.4 times on one generated task (synthetic features).
    Neither head wins everywhere: the Gaussian one ranks better on our
    semi-synthetic tasks (few samples per class, near-Gaussian classes), the
    softmax one, which learns from the shape of the generated classes, on
    real digit images described by their shape attributes (see the
    :ref:`User Guide <izf>`). ``classifier="auto"`` therefore compares them
    on the calibration splits, where whole seen classes are held out and play
    unseen, by their AUSUC (which no seen penalty changes), and refits the
    winner on all the data. With up to 45 seen classes a split holds out
    only two to nine, so three splits are fitted (whatever the head): the
    seen penalty is the median of theirs, and ``"auto"`` keeps the head that
    wins on more of them. A fit then costs about 3.4 fits instead of 1.8.

    **The negative-sample term is bounded.** The paper maximises the MMD²,
    which has no optimum: the generated unseen features are rewarded for
    moving ever farther from the real ones (and for collapsing), and with
    longer training or a wider flow they run away from all data
    (``mmd_margin=None``, kept for comparison). By default the term is the
    hinge :math:`\\max(0, m - \\mathrm{MMD}^2)`, with the margin :math:`m`
    measured on the training data (``mmd_margin="auto"``), plus
    ``range_weight`` times the mean squared distance of the scaled negatives
    to the box :math:`[0, 1]^D` of the training range. The hinge alone does
    not stop a divergence (negatives spread over a huge region also reach a
    large MMD²); the range penalty does. Neither asks for more than the data
    allow, so the term is stable at the paper's weights however long the
    training (tested at five times the default length with a 4 x 512 flow).

    **Early stopping** holds out whole seen classes, so the validation loss
    (the objective without its negative-sample term) measures how well the
    flow describes classes it was not trained on; during training these
    classes count as unseen for the negative-sample term. As with
    :class:`~sklearn.neural_network.MLPClassifier`, the held-out samples are
    not used to train the flow; the softmax classifier uses them. With fewer
    than three seen classes there is nothing to hold out: a warning is
    raised and all ``max_epochs`` are run.

    **Interruption and checkpoints.** A ``KeyboardInterrupt`` during training
    (Ctrl-C, or a callback raising it) ends the flow's training, with a
    warning; ``fit`` then completes the model with the best weights so far
    (the best validation epoch with early stopping, else the last step), so
    it can be used. With a :class:`~skorch.callbacks.Checkpoint` among the
    ``callbacks`` (``monitor="train_loss_best"`` without early stopping), a
    later fit on the same data with the same parameters and a
    :class:`~skorch.callbacks.LoadInitState` of that checkpoint resumes
    from the saved weights, optimiser state and history, and trains only the
    rest of ``max_epochs``.

    **CPU and GPU.** The defaults are 2 blocks of width 256 and about 1,500
    steps; :meth:`from_paper` gives the paper-sized flow (5 blocks of width
    1024, 400 epochs), for a GPU. Fit times are in the :ref:`User Guide
    <izf>` and ``benchmarks/README.md``.

    References
    ----------
    .. [1] Y. Shen, J. Qin, L. Huang, L. Liu, F. Zhu and L. Shao, "Invertible
       Zero-Shot Recognition Flows", European Conference on Computer Vision
       (ECCV), 2020. https://arxiv.org/abs/2007.04873

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.datasets import make_zsl_classification
    >>> from sklearn_zsl.flow import IZFClassifier
    >>> X, y, semantics, unseen = make_zsl_classification(random_state=0)
    >>> seen = ~np.isin(y, unseen)
    >>> clf = IZFClassifier(hidden_size=64, max_epochs=20, random_state=0)
    >>> clf.fit(X[seen], y[seen], class_semantics=semantics)
    IZFClassifier(hidden_size=64, max_epochs=20, random_state=0)
    >>> clf.predict_semantics(X[:2]).shape
    (2, 16)
    >>> clf.unseen_classes_.shape
    (10,)

    Generate three features of each of two unseen classes:

    >>> X_new, y_new = clf.sample(clf.unseen_classes_[:2], 3, random_state=0)
    >>> X_new.shape
    (6, 64)
    >>> bool(np.all(y_new == np.repeat(clf.unseen_classes_[:2], 3)))
    True
    """

    _parameter_constraints = {
        **SEMANTIC_PARAMETER_CONSTRAINTS,
        **NN_PARAMETER_CONSTRAINTS,
        **EARLY_STOPPING_PARAMETER_CONSTRAINTS,
        "classifier": [StrOptions({"auto", "softmax", "gaussian", "bayes"})],
        "n_blocks": [Interval(Integral, 1, None, closed="left")],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "clamp": [Interval(Real, 0, None, closed="neither")],
        "semantic_weight": [Interval(Real, 0, None, closed="left")],
        "centralizing_weight": [Interval(Real, 0, None, closed="left")],
        "mmd_weight": [Interval(Real, 0, None, closed="left")],
        "mmd_margin": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"auto"}),
            None,
        ],
        "range_weight": [Interval(Real, 0, None, closed="left")],
        "anchor_unseen": ["boolean"],
        "center_generated": ["boolean"],
        "prototype_error": [
            Interval(Real, 0, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "n_synthetic_per_class": [Interval(Integral, 1, None, closed="left")],
        "max_grad_norm": [Interval(Real, 0, None, closed="neither"), None],
        "softmax_C": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
    }

    _fit_dtype = np.float32
    # the head of the classifier at fit is the only one fitted
    _refit_params = ("classifier",)
    #: the heads that classifier="auto" chooses from on the calibration splits
    _auto_heads = ("softmax", "gaussian")
    #: calibration fits for seen_penalty="auto", each costing about one fit:
    #: one where a split holds out at least ``_min_held_out_classes`` seen
    #: classes, else ``_n_calibration_splits_few`` (an odd number, for the
    #: heads' majority; measured in benchmarks/README.md)
    _n_calibration_splits = 1
    _n_calibration_splits_few = 3
    _min_held_out_classes = 10

    def __init__(
        self,
        class_semantics=None,
        *,
        classifier="auto",
        n_blocks=2,
        hidden_size=256,
        clamp=2.0,
        semantic_weight=10.0,
        centralizing_weight=1.0,
        mmd_weight=1.0,
        mmd_margin="auto",
        range_weight=10.0,
        anchor_unseen=True,
        center_generated=True,
        prototype_error="auto",
        n_synthetic_per_class=300,
        max_grad_norm=10.0,
        lr=1e-3,
        batch_size=256,
        max_epochs="auto",
        softmax_C=1.0,
        early_stopping=False,
        validation_fraction=0.2,
        n_iter_no_change=10,
        tol=1e-4,
        device="cpu",
        random_state=None,
        verbose=0,
        callbacks=None,
        seen_penalty="auto",
    ):
        self.class_semantics = class_semantics
        self.classifier = classifier
        self.n_blocks = n_blocks
        self.hidden_size = hidden_size
        self.clamp = clamp
        self.semantic_weight = semantic_weight
        self.centralizing_weight = centralizing_weight
        self.mmd_weight = mmd_weight
        self.mmd_margin = mmd_margin
        self.range_weight = range_weight
        self.anchor_unseen = anchor_unseen
        self.center_generated = center_generated
        self.prototype_error = prototype_error
        self.n_synthetic_per_class = n_synthetic_per_class
        self.max_grad_norm = max_grad_norm
        self.lr = lr
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.softmax_C = softmax_C
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.seen_penalty = seen_penalty

    @classmethod
    def from_paper(cls, dataset=None, **params):
        """Build an IZF with the paper-sized flow, for a GPU.

        The preset has 5 coupling blocks of width 1024 (the authors'
        development code), Adam with learning rate 5e-4, batches of 256 and
        400 epochs (about 11,000 steps on CUB-sized data), on
        ``device="auto"``. The paper's per-dataset settings are not public;
        ``dataset`` only sets ``n_synthetic_per_class`` for the softmax
        classifier: 300 for CUB and SUN, 1000 for APY, 2000 for AWA1/AWA2
        (more classes with fewer samples need fewer synthetic ones).

        Parameters
        ----------
        dataset : {"AWA1", "AWA2", "CUB", "SUN", "APY"} or None, default=None
            Benchmark name, case-insensitive; ``None`` keeps 300.
        **params
            Other parameters of :class:`IZFClassifier`, overriding the preset.

        Returns
        -------
        clf : IZFClassifier
            An unfitted classifier.

        Examples
        --------
        >>> from sklearn_zsl.flow import IZFClassifier
        >>> IZFClassifier.from_paper("AWA2")
        IZFClassifier(device='auto', hidden_size=1024, lr=0.0005, max_epochs=400,
                      n_blocks=5, n_synthetic_per_class=2000)
        """
        preset = dict(PAPER_PARAMS)
        if dataset is not None:
            key = str(dataset).upper()
            if key not in PAPER_SYNTHETIC_PER_CLASS:
                raise ValueError(
                    f"No IZF preset for {dataset!r}; choose one of "
                    f"{sorted(PAPER_SYNTHETIC_PER_CLASS)} or None."
                )
            preset["n_synthetic_per_class"] = PAPER_SYNTHETIC_PER_CLASS[key]
        return cls(**{**preset, **params})

    # -- fitting ------------------------------------------------------------------
    def _define_net(self, X, y_ind, valid_rows, rng, seed):
        self.feature_min_, self.feature_scale_ = _min_max(X)
        X_scaled = self._scale_features(X)
        values = self.class_semantics_.to_numpy()
        self.semantics_min_, self.semantics_scale_ = _min_max(values)
        semantics = ((values - self.semantics_min_) / self.semantics_scale_).astype(
            np.float32
        )
        means = _class_means(X_scaled, y_ind, self.classes_.shape[0])
        means = means.astype(np.float32)

        held_out = y_ind[:0] if valid_rows is None else np.unique(y_ind[valid_rows])
        self.validation_classes_ = self.classes_[held_out]
        unseen = np.searchsorted(self.classes_, self.unseen_classes_)
        negatives = np.union1d(unseen, held_out)
        anchored = unseen[:0]
        if self.anchor_unseen and unseen.size:
            anchored = unseen
            trained = np.setdiff1d(np.unique(y_ind), held_out)
            means[unseen] = _regressed_means(semantics, means, trained, unseen)
        self.mmd_margin_ = self._resolve_margin(X_scaled, y_ind, negatives, rng)
        params = self._net_params(X.shape[1], semantics, means, negatives, anchored)
        dataset = TensorDataset(
            torch.from_numpy(X_scaled), torch.from_numpy(y_ind.astype(np.int64))
        )
        return _IZFNet, {**params, "module__seed": seed}, dataset

    def _net_params(self, n_features, semantics, means, negatives, anchored):
        """The flow and the objective, as arguments of the skorch net."""
        return {
            "module": _IZFFlow,
            "module__n_features": n_features,
            "module__n_semantic": semantics.shape[1],
            "module__n_blocks": self.n_blocks,
            "module__hidden_size": self.hidden_size,
            "module__clamp": self.clamp,
            "module__padding_std": self._padding_std(n_features, semantics.shape[1]),
            "criterion": _IZFObjective,
            "criterion__class_semantics": torch.from_numpy(semantics),
            "criterion__class_means": torch.from_numpy(means),
            "criterion__negative_classes": torch.from_numpy(negatives.astype(np.int64)),
            "criterion__semantic_weight": self.semantic_weight,
            "criterion__centralizing_weight": self.centralizing_weight,
            "criterion__mmd_weight": self.mmd_weight,
            "criterion__mmd_margin": self.mmd_margin_,
            "criterion__range_weight": self.range_weight,
            "criterion__anchored_classes": torch.from_numpy(anchored.astype(np.int64)),
        }

    def _finish_fit(self, X, y_ind, rng):
        X_scaled = self._scale_features(X)
        self.semantic_variance_ = self._fit_semantic_variance(X_scaled, y_ind)
        drift = np.zeros((self.classes_.shape[0], self.n_features_in_))
        if self.center_generated or self.classifier_ == "gaussian":
            drift = self._fit_generation_drift(rng)
        self.generation_offset_ = drift if self.center_generated else 0.0 * drift
        self.head_ = None
        self.means_ = self.variances_ = None
        if self.classifier_ == "softmax":
            self.head_ = self._fit_head(X_scaled, y_ind, rng)
        elif self.classifier_ == "gaussian":
            shift = drift - self.generation_offset_
            self.means_, self.variances_ = self._fit_gaussians(X_scaled, y_ind, shift)
            unseen = np.searchsorted(self.classes_, self.unseen_classes_)
            self.variances_[unseen] *= 1.0 + self.prototype_error_
        if self.classifier_ != "gaussian":
            self.prototype_error_ = None

    def _auto_choices(self):
        """The head and the unseen widening too; resets what is chosen."""
        self.classifier_ = "softmax" if self.classifier == "auto" else self.classifier
        self.classifier_scores_ = None
        measured = self._measures_prototype_error()
        self.prototype_error_ = 0.0  # until measured, or where it cannot be
        if not measured and self.prototype_error != "auto":
            self.prototype_error_ = float(self.prototype_error)
        chosen = [
            (name, what, fallback)
            for name, what, fallback, applies in [
                ("classifier", "the head", "classifier_='softmax'", True),
                ("prototype_error", "the widening", "prototype_error_=0.0", measured),
                ("seen_penalty", "the penalty", "seen_penalty_=0.0", True),
            ]
            if applies and getattr(self, name) == "auto"
        ]
        if not chosen:
            return None
        names, whats, fallbacks = zip(*chosen, strict=True)
        params = _and_list([f"{name}='auto'" for name in names])
        if len(chosen) == 1:
            return f"{params} chooses {whats[0]}", f"{fallbacks[0]}; set it"
        return (
            f"{params} choose {_and_list(whats)}",
            f"{_and_list(fallbacks)}; set them",
        )

    def _measures_prototype_error(self):
        """Whether fit measures the unseen widening of the Gaussian head."""
        return self.prototype_error == "auto" and self.classifier in {
            "auto",
            "gaussian",
        }

    def _calibration_split_count(self, unseen_size):
        """One calibration split, or three where each holds out few classes.

        A split that holds out fewer than ``_min_held_out_classes`` seen
        classes (with up to 45 seen classes) gives a noisy penalty and head:
        three splits, their penalties' median and the heads' majority, raised
        H on real digit images and never lowered it on the grid's tasks with
        20 and 40 seen classes (benchmarks/README.md).
        """
        if unseen_size >= self._min_held_out_classes:
            return self._n_calibration_splits
        return self._n_calibration_splits_few

    def _calibrate(self, X, y, splits):
        """Choose the head, measure the unseen widening, choose the penalty.

        A flow is fitted on the training part of every calibration split.
        With ``classifier="auto"`` both heads score the split's validation
        samples: the one with the larger validation AUSUC on more splits (on
        a tie, the larger mean) is ``classifier_``, and the seen penalty is
        the median of that head's. A majority, unlike the mean, is not
        decided by the one split whose held-out classes happen to suit a
        head. The Gaussian head's unseen widening is measured first, on the
        held-out classes of all splits together, and scores them widened.
        """
        if self.classifier == "bayes":
            return super()._calibrate(X, y, splits)
        from sklearn_zsl.metrics import ausuc_score
        from sklearn_zsl.model_selection._calibration import (
            _combine_split_penalties,
            _penalty_on_split,
        )

        heads = self._auto_heads if self.classifier == "auto" else (self.classifier,)
        model = self._calibration_clone().set_params(
            classifier=heads[0], seen_penalty=0.0, prototype_error=0.0
        )
        rng = check_random_state(self.random_state)
        folds, errors = [], []
        for train, val in splits:
            model.fit(X[train], y[train], class_semantics=self.class_semantics_)
            fold = {"classes": model.classes_, "seen_classes": model.seen_classes_}
            if "softmax" in heads:
                fold["softmax"] = model.decision_function(X[val])
            if "gaussian" in heads:
                y_ind = np.searchsorted(model.classes_, y[train])
                shift = 0.0  # centred: the generated means are the prototypes
                if not self.center_generated:
                    shift = model._fit_generation_drift(rng)
                means, variances = model._fit_gaussians(
                    model._scale_features(X[train]), y_ind, shift
                )
                errors.extend(
                    _held_out_mean_errors(X[val], y[val], model, means, variances)
                )
                fold["gaussian"] = (means, variances)
            folds.append((y[val], X[val], fold))
        if self._measures_prototype_error():
            self.prototype_error_ = _prototype_error(errors)
        ausuc = {head: [] for head in heads}
        penalties = {head: [] for head in heads}
        for y_val, X_val, fold in folds:
            where = {"classes": fold["classes"], "seen_classes": fold["seen_classes"]}
            if "gaussian" in heads:
                means, variances = fold["gaussian"]
                unseen = ~np.isin(fold["classes"], fold["seen_classes"])
                variances[unseen] *= 1.0 + self.prototype_error_
                # log-densities in the units of X: they differ from those of
                # scaled X at prediction by a constant shared by all classes,
                # which changes no margin, penalty or AUSUC
                fold["gaussian"] = gaussian_log_likelihood(X_val, means, variances)
            for head in heads:
                ausuc[head].append(ausuc_score(y_val, fold[head], **where))
                penalties[head].append(_penalty_on_split(y_val, fold[head], **where))
        best = heads[0]
        if self.classifier == "auto":
            by_split = np.array([ausuc[head] for head in heads])
            votes = np.bincount(by_split.argmax(axis=0), minlength=len(heads))
            best = heads[np.lexsort((by_split.mean(axis=1), votes))[-1]]
            self.classifier_ = best
            self.classifier_scores_ = dict(zip(heads, by_split, strict=True))
        if self.seen_penalty != "auto":
            return 0.0  # the given penalty is kept
        return _combine_split_penalties(penalties[best])

    def _scale_features(self, X):
        return ((X - self.feature_min_) / self.feature_scale_).astype(np.float32)

    def _validation_rows(self, y_ind, rng):
        """Rows of whole seen classes: the validation set is class-disjoint."""
        valid = _validation_classes(y_ind, self.validation_fraction, rng)
        if valid is None:
            self._warn_without_early_stopping(
                "needs at least 3 seen classes to hold out a class-disjoint "
                f"validation set, got {np.unique(y_ind).shape[0]}"
            )
            return None
        return np.flatnonzero(np.isin(y_ind, valid))

    def _net_callbacks(self):
        if self.max_grad_norm is None:
            return []
        return [("gradient_clipping", GradientNormClipping(self.max_grad_norm))]

    def _padding_std(self, n_features, n_semantic):
        """Noise level of the padding columns: the semantic factor's own spread.

        The objective is the density in which the semantic factor is
        N(c_y, s² I) with s² = n_semantic / (2 semantic_weight n_dims). Padding
        noise of that level can pass to the semantic factor unscaled (no
        log-determinant to pay), which leaves the non-semantic factor to the
        variation of the features themselves.
        """
        if n_features > n_semantic or not self.semantic_weight:
            return _PADDING_STD
        n_dims = n_features + n_semantic
        return float(np.sqrt(n_semantic / (2.0 * self.semantic_weight * n_dims)))

    def _resolve_margin(self, X_scaled, y_ind, negatives, rng):
        """The hinge margin of the negative-sample term (None: unbounded)."""
        if self.mmd_margin != "auto":
            return None if self.mmd_margin is None else float(self.mmd_margin)
        if not (self.mmd_weight and negatives.size):
            return None
        train = ~np.isin(y_ind, negatives)
        return _class_group_mmd(
            X_scaled[train],
            y_ind[train],
            negatives.size / (negatives.size + np.unique(y_ind[train]).size),
            n_rows=_MARGIN_ROWS,
            random_state=rng,
        )

    def _resolve_max_epochs(self, n_train):
        if self.max_epochs != "auto":
            return self.max_epochs
        batch_size = n_train if self.batch_size == -1 else self.batch_size
        n_batches = -(-n_train // batch_size)
        low, high = _AUTO_EPOCHS
        return int(np.clip(-(-_AUTO_STEPS // n_batches), low, high))

    def _fit_semantic_variance(self, X_scaled, y_ind):
        semantics = self._criterion_semantics()
        residual = self._semantic_factor(X_scaled) - semantics[y_ind]
        variance = float(np.mean(np.square(residual, dtype=np.float64)))
        if not np.isfinite(variance):
            raise ValueError(_diverged("maps training samples to non-finite values"))
        return max(variance, float(np.finfo(np.float32).eps))

    def _fit_generation_drift(self, rng):
        """Per class, mean of ancestral draws minus the prototype, units of X."""
        semantics = self._criterion_semantics()
        offset = np.zeros((semantics.shape[0], self.n_features_in_))
        flow = self.net_.module_
        prototypes = self._run_chunks(flow.prototypes, semantics)
        per_chunk = max(1, _CHUNK_ROWS // _OFFSET_DRAWS)
        for start in range(0, semantics.shape[0], per_chunk):
            block = semantics[start : start + per_chunk]
            draws = self._draw(np.repeat(block, _OFFSET_DRAWS, axis=0), rng)
            draws = draws.reshape(block.shape[0], _OFFSET_DRAWS, -1)
            means = draws.mean(axis=1, dtype=np.float64)
            offset[start : start + per_chunk] = (
                means - prototypes[start : start + per_chunk]
            )
        if not np.all(np.isfinite(offset)):
            raise ValueError(_diverged("generates non-finite features"))
        return offset * self.feature_scale_

    def _fit_head(self, X_scaled, y_ind, rng):
        unseen = np.searchsorted(self.classes_, self.unseen_classes_)
        synthetic_y = np.repeat(unseen, self.n_synthetic_per_class)
        synthetic_X = None
        if synthetic_y.size:
            synthetic_X = self._generate(synthetic_y, rng)
            if not np.all(np.isfinite(synthetic_X)):
                raise ValueError(
                    _diverged("generates non-finite features of unseen classes")
                )
        return fit_softmax_head(
            X_scaled,
            self.classes_[y_ind],
            synthetic_X,
            self.classes_[synthetic_y],
            C=self.softmax_C,
            max_iter=_HEAD_MAX_ITER,
        )

    def _fit_gaussians(self, X_scaled, y_ind, shift):
        """Class means and shared variances of the Gaussian head, units of X.

        A seen class's mean is its sample mean; an unseen class's is the mean
        of its generated features: the zero-noise prototype plus ``shift``
        (units of X), how far the generated mean lies from the prototype (0
        with centred generation, else the drift of the ancestral samples).
        Every class has the pooled within-class variance of each
        feature, floored at ``_GAUSSIAN_VARIANCE_FLOOR`` of its mean over the
        features; the unseen classes are widened by the caller.
        """
        semantics = self._criterion_semantics()
        prototypes = self._run_chunks(self.net_.module_.prototypes, semantics)
        means = prototypes.astype(np.float64)
        means += shift / self.feature_scale_
        seen = np.unique(y_ind)
        X64 = X_scaled.astype(np.float64)
        means[seen] = _class_means(X64, y_ind, means.shape[0])[seen]
        residuals = X64 - means[y_ind]
        if X64.shape[0] > seen.size:
            variances = np.sum(residuals**2, axis=0) / (X64.shape[0] - seen.size)
        else:  # one sample per class: the total variance
            variances = X64.var(axis=0)
        floor = _GAUSSIAN_VARIANCE_FLOOR * variances.mean()
        variances = np.maximum(variances, floor if floor > 0 else 1.0)
        scale = self.feature_scale_.astype(np.float64)
        return means * scale + self.feature_min_, np.broadcast_to(
            variances * scale**2, means.shape
        ).copy()

    def _gaussian_scores(self, X_scaled, means, variances):
        """Gaussian log-likelihoods, up to a constant shared by all classes."""
        scale = self.feature_scale_.astype(np.float64)
        return gaussian_log_likelihood(
            X_scaled.astype(np.float64),
            (means - self.feature_min_) / scale,
            variances / scale**2,
        )

    # -- torch helpers ------------------------------------------------------------
    def _criterion_semantics(self):
        return self.net_.criterion_.class_semantics.cpu().numpy()

    def _run_chunks(self, function, X):
        """Apply ``function`` to rows of ``X`` in chunks, on the device."""
        outputs = []
        with torch.no_grad():
            for start in range(0, X.shape[0], _CHUNK_ROWS):
                chunk = torch.from_numpy(
                    np.ascontiguousarray(X[start : start + _CHUNK_ROWS])
                )
                outputs.append(function(chunk.to(self.device_)).cpu().numpy())
        return np.concatenate(outputs)

    def _semantic_factor(self, X_scaled):
        """Scaled semantic factor of scaled features, in float64.

        The forward pass runs on a float64 copy of the flow: in float32 a
        row's result depends on the rows computed with it (the matrix
        products' blocking), so that scores would change with the order of
        the samples by a few 1e-7.
        """
        flow = copy.deepcopy(self.net_.module_).double()
        return self._run_chunks(lambda x: flow(x)[0], X_scaled.astype(np.float64))

    def _generate(self, class_ind, rng):
        """Scaled features generated for each class index, centred if asked."""
        X = self._draw(self._criterion_semantics()[class_ind], rng)
        offset = self.generation_offset_[class_ind] / self.feature_scale_
        return (X - offset).astype(np.float32)

    def _draw(self, semantics, rng):
        """Scaled features drawn from scaled semantics, one per row.

        Ancestral sampling from the flow's density: the semantic factor is
        drawn from N(c_y, semantic_variance_ I), the non-semantic factor from
        N(0, I), and both run through the reverse pass. Fixing the semantic
        factor at c_y would drop the within-class variation the flow puts
        there, and generate classes narrower than the real ones.
        """
        flow = self.net_.module_
        generator = torch.Generator().manual_seed(seed_from_random_state(rng))
        n_semantic = semantics.shape[1]
        rows = torch.randn(
            semantics.shape[0], n_semantic + flow.n_noise, generator=generator
        ).numpy()
        rows[:, :n_semantic] *= np.sqrt(self.semantic_variance_)
        rows[:, :n_semantic] += semantics
        return self._run_chunks(
            lambda h: flow.inverse(h[:, :n_semantic], h[:, n_semantic:]), rows
        )

    # -- prediction ---------------------------------------------------------------
    def _raw_scores(self, X):
        X_scaled = self._scale_features(X)
        if self.classifier_ == "softmax":
            return softmax_head_scores(self.head_, X_scaled, self.classes_)
        if self.classifier_ == "gaussian":
            return self._gaussian_scores(X_scaled, self.means_, self.variances_)
        factor = self._semantic_factor(X_scaled)
        semantics = self._criterion_semantics().astype(np.float64)
        sq_dist = (
            np.einsum("ij,ij->i", factor, factor)[:, np.newaxis]
            - 2.0 * factor @ semantics.T
            + np.einsum("ij,ij->i", semantics, semantics)
        )
        return -np.maximum(sq_dist, 0.0) / (2.0 * self.semantic_variance_)

    def predict_semantics(self, X):
        """Map features to their semantic factor, in the units of the semantics.

        The semantic factor is the part of the flow's output trained to equal
        the semantics of the sample's class; ``classifier="bayes"`` assigns
        the class with the nearest (min-max scaled) semantics.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input features.

        Returns
        -------
        semantic_factor : ndarray of shape (n_samples, n_dims)
            One predicted semantic vector per sample, comparable with the rows
            of ``class_semantics_.to_numpy()``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=self._fit_dtype)
        factor = self._semantic_factor(self._scale_features(X))
        return factor * self.semantics_scale_ + self.semantics_min_

    def _generate_features(self, class_ind, rng):
        """One feature per class index: ancestral sampling, in the units of X."""
        X = self._generate(class_ind, rng)
        return X.astype(np.float64) * self.feature_scale_ + self.feature_min_


def _and_list(words):
    """``["a", "b", "c"]`` as "a, b and c"."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _diverged(what):
    """Message of a flow that trained on finite losses but is unusable."""
    return (
        f"The trained flow {what}: it diverged. Lower lr, raise the "
        "regularisation (max_grad_norm, a smaller mmd_weight) or check X for "
        "extreme values."
    )
