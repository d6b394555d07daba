"""The Deep Embedding Model (DEM): class semantics embedded in the visual space."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import torch
from scipy.optimize import minimize_scalar
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval, StrOptions

from sklearn_zsl.base import SEMANTIC_PARAMETER_CONSTRAINTS, ZeroShotClassifierMixin
from sklearn_zsl.embedding._modules import ClassPrototypes
from sklearn_zsl.utils._data import TensorDataset
from sklearn_zsl.utils._docstring import _fill_shared_docs
from sklearn_zsl.utils._skorch import (
    EARLY_STOPPING_PARAMETER_CONSTRAINTS,
    NN_PARAMETER_CONSTRAINTS,
    DeepEstimatorMixin,
    PenalizedNeuralNet,
)

__all__ = ["DEMClassifier"]

# Settings of the official scripts (lzrobots/DeepEmbeddingModel_ZSL at commit
# 2d95028) for the proposed splits of Xian et al. with ResNet-101 features:
# name: (hidden_layer_sizes, alpha, lr, batch_size, metric, script and lines).
_PRESET_KEYS = ("hidden_layer_sizes", "alpha", "lr", "batch_size", "metric")
PAPER_PRESETS = {
    "AWA1": ((1600,), 1e-3, 1e-4, 64, "euclidean", "AwA1_GBU.py L90-110"),
    "AWA2": ((1600,), 1e-3, 1e-4, 64, "euclidean", "AwA2_GBU.py L78-110"),
    "CUB": ((1200,), 1e-2, 1e-5, 100, "cosine", "CUB1_GBU.py L25, L74-111"),
    "SUN": ((1600,), 1e-5, 1e-4, 64, "euclidean", "SUN_GBU.py L78-110"),
    "APY": ((1600,), 1e-4, 1e-4, 64, "euclidean", "aPY_GBU.py L78-110"),
}

# Rows scored at once at prediction: bounds the memory of predict whatever the
# number of samples.
_CHUNK_ELEMENTS = 2**20
#: feature scales scored as they are; others are scored in units of the scale
_UNIT_RANGE = (1e-6, 1e6)
_MIN_CHUNK_ROWS = 64
_MAX_CHUNK_ROWS = 1024
_TINY = np.finfo(np.float32).tiny
# At most about this many held-out rows fit the temperature of predict_proba.
_TEMPERATURE_ROWS = 1024


def _standardization(values):
    """Mean and scale of each column; constant columns get a scale of 1."""
    mean = values.mean(axis=0)
    scale = values.std(axis=0)
    tiny = 10 * np.finfo(values.dtype).eps * np.maximum(np.abs(mean), 1.0)
    return mean, np.where(scale > tiny, scale, 1.0)


def _fit_temperature(scores, y_ind):
    """Temperature minimising the log-loss of ``softmax(scores / T)``."""
    target = scores[np.arange(scores.shape[0]), y_ind]
    spread = float(np.std(scores))
    if not np.isfinite(spread) or spread == 0.0:
        return 1.0

    def log_loss(log_t):
        t = spread * np.exp(log_t)
        return float(np.mean(logsumexp(scores / t, axis=1) - target / t))

    result = minimize_scalar(log_loss, bounds=(-7.0, 7.0), method="bounded")
    return spread * float(np.exp(result.x))


@_fill_shared_docs
class DEMClassifier(
    DeepEstimatorMixin, ZeroShotClassifierMixin, ClassifierMixin, BaseEstimator
):
    """Deep Embedding Model (DEM): nearest class prototype in the visual space.

    DEM learns a small neural network that maps the semantic vector of a class
    (attributes, word vectors, ...) into the visual feature space, by
    regressing the embedded vector of each training sample's class onto the
    sample's features. Every class with semantics, seen or unseen, thus gets a
    prototype in the feature space, and a sample is assigned to the class of
    the nearest prototype. Several semantic modalities (a multi-modality
    :class:`~sklearn_zsl.ClassSemantics`) are fused inside the network.

    Read more in the :ref:`User Guide <dem>`.

    Parameters
    ----------
    %(class_semantics)s
    hidden_layer_sizes : array-like of int or int, default=(1024,)
        Widths of the hidden layers of the embedding network. With several
        modalities there must be at least one: the modalities are fused in
        the first.
    alpha : float, default=1e-3
        Strength :math:`\\lambda` of the L2 penalty
        :math:`\\frac{\\lambda}{2}\\|\\theta\\|^2` on all weights and biases.
    lr : float, default=1e-3
        Learning rate of the Adam optimiser.
    batch_size : int, default=256
        Number of samples per mini-batch; -1 uses all samples at once.
    max_epochs : int, default=100
        Maximum number of passes over the training data.
    metric : {"euclidean", "cosine"}, default="euclidean"
        Distance between a sample and a class prototype.
    temperature : float or "auto", default="auto"
        Temperature :math:`T` of :meth:`predict_proba`, which is
        ``softmax(decision_function / T)``. ``"auto"`` fits it by minimising
        the log-loss of the held-out validation samples (the training samples
        without early stopping), i.e. temperature scaling.
    early_stopping : bool, default=True
        Whether to hold out ``validation_fraction`` of each seen class and
        stop when the validation loss has not improved for
        ``n_iter_no_change`` epochs, keeping the weights of the best epoch.
    validation_fraction : float, default=0.1
        Share of each seen class held out for early stopping (see Notes).
    n_iter_no_change : int, default=5
        Number of epochs without improvement before stopping.
    tol : float, default=1e-3
        Relative decrease of the best validation loss that counts as an
        improvement.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device of the training; ``"auto"`` takes a GPU when available.
        ``"cuda"`` without a GPU raises a ``ValueError``.
    random_state : int, RandomState instance or None, default=None
        Controls the weight initialisation, the shuffling and the validation
        split. An int gives identical fits on CPU.
    verbose : int, default=0
        0 is silent, 1 shows a progress bar over the epochs, 2 also prints
        skorch's table of losses.
    callbacks : list of skorch callbacks, default=None
        Extra :mod:`skorch.callbacks` (instances or ``(name, callback)``
        pairs), cloned at every fit.
    %(seen_penalty)s

    Attributes
    ----------
    %(class_attributes)s
    class_semantics_ : ClassSemantics
        The validated semantics, rows in the order of ``classes_``.
    prototypes_ : ndarray of shape (n_classes, n_features)
        Embedded class semantics in the units of ``X``, rows in the order of
        ``classes_``: the nearest one gives the prediction.
    net_ : skorch.NeuralNet
        The fitted skorch net; its ``module_`` is a
        :class:`~sklearn_zsl.embedding.ClassPrototypes` and its ``history``
        holds the losses of every epoch.
    device_ : str
        The device trained on.
    semantics_mean_ : ndarray of shape (n_dims,)
        Mean of the seen-class semantics, subtracted before the network.
    semantics_scale_ : ndarray of shape (n_dims,)
        Standard deviation of the seen-class semantics (1 where constant).
    feature_shift_ : ndarray of shape (n_features,)
        Minimum of each feature on the training data, subtracted from the
        regression targets.
    feature_scale_ : float
        Spread of the training features (root mean of their variances),
        dividing the regression targets.
    temperature_ : float
        Temperature of :meth:`predict_proba`.
    n_iter_ : int
        Number of epochs run.
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
    ESZSLClassifier : A closed-form bilinear model.
    sklearn.neighbors.NearestCentroid : The supervised analogue, with class
        means as prototypes.

    Notes
    -----
    With class semantics :math:`s_c` and the network :math:`f`, the model
    minimises, exactly as the official code does,

    .. math::

        \\frac{1}{n D} \\sum_{i=1}^n \\|f(s_{y_i}) - x_i\\|^2
        + \\frac{\\lambda}{2} \\|\\theta\\|^2,

    the squared error averaged over samples *and* the :math:`D` features, so
    that the published values of :math:`\\lambda` carry over
    (:meth:`from_paper`). One modality: :math:`f` is ``(Linear -> ReLU)`` for
    every hidden layer and for the output layer; the output ReLU keeps the
    prototypes non-negative like CNN features. Several modalities: one linear
    branch per modality, summed, LeCun's scaled tanh
    :math:`1.7159 \\tanh(2x/3)`, then ``(Linear -> ReLU)`` layers.

    ``fit`` standardises each semantic dimension with the mean and standard
    deviation of the seen classes and regresses onto ``(X - feature_shift_) /
    feature_scale_``, so that the defaults do not depend on the units of the
    data; the shift (zero for post-ReLU CNN features) makes every target
    reachable by the output ReLU, and the mean target is a fixed, unpenalised
    offset of the output layer. Prototypes are mapped back to the units of
    ``X``. Early stopping holds out about ``validation_fraction`` of every
    seen class; when no class can spare a sample it warns and trains
    ``max_epochs`` epochs. The published results were selected on the test
    set; here epochs are selected on validation data only. Scores are
    computed in chunks of rows, so that memory stays bounded.

    References
    ----------
    .. [1] L. Zhang, T. Xiang and S. Gong, "Learning a Deep Embedding Model
       for Zero-Shot Learning", IEEE Conference on Computer Vision and Pattern
       Recognition (CVPR), 2017. https://arxiv.org/abs/1611.05088

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.datasets import make_zsl_classification
    >>> from sklearn_zsl.embedding import DEMClassifier
    >>> X, y, class_semantics, unseen_classes = make_zsl_classification(
    ...     n_classes=30, n_unseen=10, random_state=0
    ... )
    >>> train = ~np.isin(y, unseen_classes)
    >>> clf = DEMClassifier(random_state=0)
    >>> clf.fit(X[train], y[train], class_semantics=class_semantics)
    DEMClassifier(random_state=0)
    >>> clf.unseen_classes_
    array([ 0,  1,  6,  8, 12, 16, 19, 23, 25, 28])
    >>> y_pred = clf.predict(X[~train], candidates=clf.unseen_classes_)
    >>> bool(np.mean(y_pred == y[~train]) > 0.5)  # chance is 0.1
    True
    >>> clf.predict_proba(X[:2]).shape
    (2, 30)
    """

    _parameter_constraints = {
        **SEMANTIC_PARAMETER_CONSTRAINTS,
        **NN_PARAMETER_CONSTRAINTS,
        **EARLY_STOPPING_PARAMETER_CONSTRAINTS,
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "metric": [StrOptions({"euclidean", "cosine"})],
        "temperature": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"auto"}),
        ],
    }

    _fit_dtype = np.float32
    # the scores read ``metric`` at prediction, but the fitted temperature_
    # calibrates the scores of the metric used at fit
    _refit_params = ("metric",)
    #: one calibration fit for seen_penalty="auto" (measured enough for a deep
    #: model; see benchmarks/README.md), each costing about one fit
    _n_calibration_splits = 1

    def __init__(
        self,
        class_semantics=None,
        *,
        hidden_layer_sizes=(1024,),
        alpha=1e-3,
        lr=1e-3,
        batch_size=256,
        max_epochs=100,
        metric="euclidean",
        temperature="auto",
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=5,
        tol=1e-3,
        device="cpu",
        random_state=None,
        verbose=0,
        callbacks=None,
        seen_penalty="auto",
    ):
        self.class_semantics = class_semantics
        self.hidden_layer_sizes = hidden_layer_sizes
        self.alpha = alpha
        self.lr = lr
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.metric = metric
        self.temperature = temperature
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
    def from_paper(cls, dataset, **params):
        """Build a DEM with the official settings for one benchmark.

        The settings are those of the official scripts of Zhang et al. (2017)
        (``lzrobots/DeepEmbeddingModel_ZSL`` at commit ``2d95028``) for the
        proposed splits of Xian et al. with 2048-d ResNet-101 features:

        ======  ======  =========  ======  =====  =========  =================
        name    hidden  alpha (λ)  lr      batch  metric     source
        ======  ======  =========  ======  =====  =========  =================
        AWA1    1600    1e-3       1e-4    64     euclidean  ``AwA1_GBU.py``
        AWA2    1600    1e-3       1e-4    64     euclidean  ``AwA2_GBU.py``
        CUB     1200    1e-2       1e-5    100    cosine     ``CUB1_GBU.py``
        SUN     1600    1e-5       1e-4    64     euclidean  ``SUN_GBU.py``
        APY     1600    1e-4       1e-4    64     euclidean  ``aPY_GBU.py``
        ======  ======  =========  ======  =====  =========  =================

        The official scripts ran up to a million Adam steps and picked the
        best test accuracy; with the small learning rates above, raise
        ``max_epochs`` (early stopping on validation data still applies).

        Parameters
        ----------
        dataset : {"AWA1", "AWA2", "CUB", "SUN", "APY"}
            Benchmark name, case-insensitive.
        **params
            Other parameters of :class:`DEMClassifier`, overriding the preset.

        Returns
        -------
        clf : DEMClassifier
            An unfitted classifier.

        Examples
        --------
        >>> from sklearn_zsl.embedding import DEMClassifier
        >>> DEMClassifier.from_paper("CUB", max_epochs=1000)
        DEMClassifier(alpha=0.01, batch_size=100, hidden_layer_sizes=(1200,), lr=1e-05,
                      max_epochs=1000, metric='cosine')
        """
        key = str(dataset).upper()
        if key not in PAPER_PRESETS:
            raise ValueError(
                f"No DEM preset for {dataset!r}; choose one of {sorted(PAPER_PRESETS)}."
            )
        preset = dict(zip(_PRESET_KEYS, PAPER_PRESETS[key], strict=False))
        return cls(**{**preset, **params})

    def _check_hidden_layer_sizes(self, n_modalities):
        sizes = np.atleast_1d(np.asarray(self.hidden_layer_sizes))
        if sizes.ndim != 1 or not all(
            isinstance(h, Integral | np.integer) and h >= 1 for h in sizes.tolist()
        ):
            raise ValueError(
                "hidden_layer_sizes must be a sequence of positive integers, got "
                f"{self.hidden_layer_sizes!r}."
            )
        if n_modalities > 1 and sizes.size == 0:
            raise ValueError(
                f"Fusing {n_modalities} semantic modalities needs at least one "
                "hidden layer; set hidden_layer_sizes to e.g. (1024,)."
            )
        return tuple(int(h) for h in sizes)

    def _define_net(self, X, y_ind, valid_rows, rng, seed):
        modality_dims = tuple(self.class_semantics_.dims.values())
        hidden_layer_sizes = self._check_hidden_layer_sizes(len(modality_dims))
        class_matrix, targets = self._scale(X, y_ind)
        params = {
            "module": ClassPrototypes,
            "module__class_semantics": torch.from_numpy(class_matrix),
            "module__n_features": X.shape[1],
            "module__hidden_layer_sizes": hidden_layer_sizes,
            "module__modality_dims": modality_dims,
            "module__output_offset": torch.from_numpy(targets.mean(axis=0)),
            "criterion": torch.nn.MSELoss,
            "alpha": self.alpha,
        }
        dataset = TensorDataset(
            torch.from_numpy(y_ind.astype(np.int64)), torch.from_numpy(targets)
        )
        return PenalizedNeuralNet, params, dataset

    def _finish_fit(self, X, y_ind, rng):
        with torch.no_grad():
            prototypes = self.net_.module_.all_prototypes().cpu().numpy()
        if not np.all(np.isfinite(prototypes)):
            raise ValueError(
                "The trained network maps class semantics to non-finite "
                "prototypes: it diverged. Lower lr or check X for extreme values."
            )
        scale = np.float32(self.feature_scale_)
        self.prototypes_ = prototypes * scale + self.feature_shift_
        self.temperature_ = self._resolve_temperature(X, y_ind)

    def _scale(self, X, y_ind):
        """Standardised class semantics and regression targets, both float32."""
        values = self.class_semantics_.to_numpy()
        seen = values[np.unique(y_ind)]
        self.semantics_mean_, self.semantics_scale_ = _standardization(seen)
        class_matrix = (values - self.semantics_mean_) / self.semantics_scale_

        self.feature_shift_ = X.min(axis=0)
        spread = float(np.sqrt(np.mean(X.var(axis=0, dtype=np.float64))))
        self.feature_scale_ = spread if spread > 0 else 1.0
        targets = X - self.feature_shift_
        targets /= np.float32(self.feature_scale_)
        return class_matrix.astype(np.float32), targets

    def _resolve_temperature(self, X, y_ind):
        if self.temperature != "auto":
            return float(self.temperature)
        split = self.net_.train_split
        rows = split.valid_indices if split is not None else np.arange(X.shape[0])
        rows = rows[:: -(-rows.shape[0] // _TEMPERATURE_ROWS)]
        scores = [s for _, s in self._iter_raw_scores(X[rows], pad=False)]
        return _fit_temperature(np.vstack(scores).astype(np.float64), y_ind[rows])

    def _iter_raw_scores(self, X, pad=True):
        """Yield ``(rows, scores)`` over chunks of rows, scores in float32.

        With ``pad``, every matrix product has the same shape (the last chunk
        is padded with zero rows), so a sample's scores never depend on the
        other samples scored with it: BLAS picks its kernels by shape (a single
        row, for one, would go through a matrix-vector kernel that rounds
        differently).
        """
        prototypes = self.prototypes_
        n_classes = prototypes.shape[0]
        euclidean = self.metric == "euclidean"
        # Features far from unit scale would overflow (or underflow) the float32
        # squared norms: score them in units of feature_scale_ instead, which
        # divides every distance by it and leaves cosines unchanged.
        unit = np.float32(self.feature_scale_)
        rescale = not (_UNIT_RANGE[0] <= unit <= _UNIT_RANGE[1])
        if rescale:
            prototypes = prototypes / unit
        if euclidean:
            # ||x - p||^2 = ||x||^2 - 2 x.c + ||c||^2 - 2 x.(p - c) + t_p, with c
            # the mean prototype and t_p = 2 c.(p - c) + ||p - c||^2: the
            # class-dependent products involve the small p - c rather than p,
            # which keeps float32 cancellation small. x.c comes out of the
            # same matrix product, as an extra column.
            center = prototypes.mean(axis=0, dtype=np.float64)
            centred = prototypes - center.astype(np.float32)
            weights = np.vstack([centred, center.astype(np.float32)])
            class_terms = (
                2 * (centred @ center)
                + np.einsum("ij,ij->i", centred, centred, dtype=np.float64)
            ).astype(np.float32)
            center_sq = np.float32(center @ center)
        else:
            norms = np.linalg.norm(prototypes, axis=1, keepdims=True)
            weights = prototypes / np.maximum(norms, _TINY)
        n_rows = int(
            np.clip(_CHUNK_ELEMENTS // n_classes, _MIN_CHUNK_ROWS, _MAX_CHUNK_ROWS)
        )
        padded = None
        for start in range(0, X.shape[0], n_rows):
            chunk = X[start : start + n_rows]
            size = chunk.shape[0]
            if (pad and size < n_rows) or not chunk.flags.c_contiguous:
                if padded is None:
                    padded = np.zeros((n_rows, X.shape[1]), dtype=np.float32)
                padded[:size] = chunk
                padded[size:] = 0.0
                chunk = padded if pad else padded[:size]
            if rescale:
                chunk = chunk / unit
            products = (chunk @ weights.T)[:size]
            chunk = chunk[:size]
            sq_rows = np.einsum("ij,ij->i", chunk, chunk)
            if euclidean:
                scores = products[:, :n_classes]
                scores *= -2.0
                scores += (sq_rows - 2.0 * products[:, n_classes] + center_sq)[:, None]
                scores += class_terms
                np.maximum(scores, 0.0, out=scores)
                np.sqrt(scores, out=scores)
                np.negative(scores, out=scores)
                if rescale:
                    scores *= unit
            else:
                scores = products
                scores /= np.maximum(np.sqrt(sq_rows), _TINY)[:, None]
                scores -= 1.0
            yield slice(start, start + size), scores

    def _raw_scores(self, X):
        scores = np.empty((X.shape[0], self.prototypes_.shape[0]), dtype=np.float64)
        for rows, chunk_scores in self._iter_raw_scores(X):
            scores[rows] = chunk_scores
        return scores

    def predict_proba(self, X):
        """Class probabilities ``softmax(scores / temperature_)``.

        The scores are those of :meth:`decision_function` in their
        (n_samples, n_classes) form, ``seen_penalty`` included, so the most
        probable class is the one :meth:`predict` returns.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input features.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``; rows sum to 1.
        """
        scores = self._validated_scores(X)
        scores /= self.temperature_
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores
