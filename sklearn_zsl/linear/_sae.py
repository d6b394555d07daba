"""Semantic autoencoder (SAE), a closed-form linear encoder-decoder."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from scipy.linalg import eigh
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval, StrOptions

from sklearn_zsl.base import SEMANTIC_PARAMETER_CONSTRAINTS, ZeroShotClassifierMixin
from sklearn_zsl.utils._docstring import _fill_shared_docs

__all__ = ["SAEClassifier"]


def _solve_symmetric_sylvester(a, b, c):
    """Minimum-norm solution ``W`` of ``a @ W + W @ b = c`` for symmetric PSD a, b.

    With ``a = U diag(p) U'`` and ``b = Q diag(q) Q'``, the equation decouples
    into ``(p_i + q_j) T_ij = (U' c Q)_ij`` for ``T = U' W Q``. Where
    ``p_i + q_j`` vanishes (both ``a`` and ``b`` singular) the entry is set to
    0, which gives the solution of least Frobenius norm.
    """
    p, u = eigh(a)
    q, v = eigh(b)
    # Eigenvalues within rounding error of 0 count as 0, relative to the
    # matrix they come from (the scales of a and b may differ by far).
    p = np.where(p > _rank_tolerance(p), p, 0.0)
    q = np.where(q > _rank_tolerance(q), q, 0.0)
    denom = p[:, None] + q[None, :]
    nonzero = denom > 0
    rotated = u.T @ c @ v
    rotated = np.where(nonzero, rotated / np.where(nonzero, denom, 1.0), 0.0)
    return u @ rotated @ v.T


def _rank_tolerance(eigenvalues):
    """Threshold below which an eigenvalue of a PSD matrix is rounding noise."""
    scale = max(eigenvalues.max(), 0.0)
    return eigenvalues.shape[0] * np.finfo(eigenvalues.dtype).eps * scale


def _cosine_similarity(left, right):
    """Cosine similarity of every row of ``left`` with every row of ``right``."""

    def _unit_rows(matrix):
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms > 0, norms, 1.0)

    return _unit_rows(left) @ _unit_rows(right).T


@_fill_shared_docs
class SAEClassifier(ZeroShotClassifierMixin, ClassifierMixin, BaseEstimator):
    """Semantic autoencoder (SAE) for zero-shot learning.

    SAE learns a linear encoder ``W`` that maps a feature vector onto the
    semantic vector of its class, while its transpose, used as the decoder,
    must map that semantic vector back to the features. The reconstruction
    constraint makes the projection generalise better to unseen classes. The
    fit is a closed form: one Sylvester equation. A sample is assigned to the
    class whose semantic vector is nearest in cosine similarity, in the
    semantic space (encoded sample against class vectors) or in the feature
    space (sample against decoded class vectors).

    Read more in the :ref:`User Guide <linear>`.

    Parameters
    ----------
    %(class_semantics)s
    alpha : float, default=0.2
        Weight of the encoding loss relative to the reconstruction loss, the
        paper's :math:`\\lambda` (see Notes). Must be >= 0; ``0`` keeps only
        the decoder, a least-squares regression from semantics to features.
        The best value depends on the relative scale of the features and the
        semantics and can span orders of magnitude: tune it on a logarithmic
        grid.
    space : {"semantic", "visual"}, default="semantic"
        Where samples and classes are compared. ``"semantic"`` encodes each
        sample, ``W x``, and compares it with every class's semantic vector
        (the paper's F → S); ``"visual"`` decodes every class's semantic
        vector, ``W' s``, and compares it with the sample (S → F). Changing
        it needs no refit.
    %(seen_penalty)s

    Attributes
    ----------
    %(class_attributes)s
    class_semantics_ : ClassSemantics
        The validated semantics, rows in the order of ``classes_``; all its
        modalities are concatenated.
    coef_ : ndarray of shape (n_dims, n_features)
        The encoder :math:`W` of the paper: ``X @ coef_.T`` encodes samples
        into the semantic space and ``S @ coef_`` decodes semantic vectors
        into the feature space.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    ESZSLClassifier : Embarrassingly simple ZSL, another closed-form linear
        model.

    Notes
    -----
    Write :math:`X` (n_samples, n_features) for the training features and
    :math:`S` (n_samples, n_dims) for the semantic vector of each sample's
    class. SAE relaxes the autoencoder objective
    :math:`\\|X - X W^\\top W\\|_F^2` subject to :math:`X W^\\top = S` into

    .. math::

        \\min_W \\|X - S W\\|_F^2 + \\lambda \\|X W^\\top - S\\|_F^2,

    with :math:`\\lambda` = ``alpha``, whose stationarity condition is the
    Sylvester equation

    .. math::

        A W + W B = C, \\quad A = S^\\top S, \\quad B = \\lambda X^\\top X,
        \\quad C = (1 + \\lambda) S^\\top X.

    As :math:`A` and :math:`B` are symmetric positive semi-definite, the
    equation is solved by the eigendecompositions of both (the Bartels-Stewart
    method, whose Schur forms are here diagonal), at a cost of
    :math:`O(n (d^2 + k^2) + d^3 + k^3)` for ``n`` samples, ``d`` features and
    ``k`` semantic dimensions. This also covers the degenerate case where
    both matrices are singular (more semantic dimensions than seen
    classes *and* more features than samples), in which the solution is not
    unique and :func:`scipy.linalg.solve_sylvester` returns an arbitrary one:
    here, the solution of least norm is returned.

    The score of a class is the cosine similarity between the sample and the
    class, as in [1]_, which assigns a sample to its nearest class in cosine
    distance. An all-zero vector has similarity 0 with everything.

    The authors' code normalises its inputs before the fit; this estimator
    applies no preprocessing, so the result, and the best ``alpha``, depend on
    the scales of ``X`` and of the semantics. Put the preprocessing in a
    :class:`~sklearn.pipeline.Pipeline` (e.g.
    :class:`~sklearn.preprocessing.Normalizer` for L2-normalised samples) and
    normalise the semantics with :meth:`ClassSemantics.normalize`.

    References
    ----------
    .. [1] E. Kodirov, T. Xiang and S. Gong, "Semantic Autoencoder for
       Zero-Shot Learning", IEEE Conference on Computer Vision and Pattern
       Recognition (CVPR), 2017. https://arxiv.org/abs/1704.08345

    Examples
    --------
    Twenty classes described by ten attributes; features are a noisy linear
    function of the attributes, and classes 15 to 19 have no training sample:

    >>> import numpy as np
    >>> from sklearn_zsl import ClassSemantics
    >>> from sklearn_zsl.linear import SAEClassifier
    >>> rng = np.random.RandomState(0)
    >>> attributes = rng.rand(20, 10)
    >>> semantics = ClassSemantics(np.arange(20), attributes)
    >>> y = np.repeat(np.arange(20), 20)
    >>> X = attributes[y] @ rng.randn(10, 20) + 0.3 * rng.randn(400, 20)
    >>> seen = y < 15
    >>> clf = SAEClassifier().fit(X[seen], y[seen], class_semantics=semantics)
    >>> clf.unseen_classes_
    array([15, 16, 17, 18, 19])
    >>> clf.decision_function(X[:2]).shape
    (2, 20)

    Zero-shot accuracy on the unseen classes (chance level 0.2):

    >>> y_pred = clf.predict(X[~seen], candidates=clf.unseen_classes_)
    >>> print(f"{np.mean(y_pred == y[~seen]):.2f}")
    1.00
    """

    _parameter_constraints = {
        **SEMANTIC_PARAMETER_CONSTRAINTS,
        "alpha": [Interval(Real, 0, None, closed="left")],
        "space": [StrOptions({"semantic", "visual"})],
    }

    def __init__(
        self,
        class_semantics=None,
        *,
        alpha=0.2,
        space="semantic",
        seen_penalty="auto",
    ):
        self.class_semantics = class_semantics
        self.alpha = alpha
        self.space = space
        self.seen_penalty = seen_penalty

    def _fit_model(self, X, y_ind):
        semantics = self.class_semantics_.to_numpy()[y_ind]
        self.coef_ = _solve_symmetric_sylvester(
            semantics.T @ semantics,
            self.alpha * (X.T @ X),
            (1.0 + self.alpha) * (semantics.T @ X),
        )
        return self

    def _raw_scores(self, X):
        semantics = self.class_semantics_.to_numpy()
        if self.space == "semantic":
            return _cosine_similarity(X @ self.coef_.T, semantics)
        return _cosine_similarity(X, semantics @ self.coef_)
