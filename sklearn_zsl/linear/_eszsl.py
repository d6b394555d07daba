"""Embarrassingly simple zero-shot learning (ESZSL), a closed-form bilinear model."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from scipy.linalg import solve
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval, StrOptions

from sklearn_zsl.base import SEMANTIC_PARAMETER_CONSTRAINTS, ZeroShotClassifierMixin
from sklearn_zsl.utils._docstring import _fill_shared_docs

__all__ = ["ESZSLClassifier"]


def _ridge_solve(gram, rhs, alpha):
    """Return ``(gram + alpha * I)^-1 @ rhs`` for a symmetric PSD ``gram``."""
    system = gram.copy()
    system.flat[:: system.shape[0] + 1] += alpha
    return solve(system, rhs, assume_a="pos", overwrite_a=True)


def _regularization(value, matrix):
    """``value``, or for "auto" the mean eigenvalue of ``matrix.T @ matrix``."""
    if value != "auto":
        return value
    scale = np.sum(matrix**2) / matrix.shape[1]
    return scale if scale > 0 else 1.0


@_fill_shared_docs
class ESZSLClassifier(ZeroShotClassifierMixin, ClassifierMixin, BaseEstimator):
    """Embarrassingly simple zero-shot learning (ESZSL).

    ESZSL learns a linear map ``V`` from the features to the class semantics
    such that the bilinear score ``x V s_c`` of a training sample is close to
    1 for its class ``c`` and to 0 (or -1, as in the paper) for every other
    seen class. The fit is a
    closed form (two regularised linear solves); any class with a semantic
    vector, seen or unseen, is then scored as ``x V s_c``.

    Read more in the :ref:`User Guide <linear>`.

    Parameters
    ----------
    %(class_semantics)s
    alpha : float or "auto", default="auto"
        Feature-side regularisation, the paper's :math:`\\gamma`: strength of
        the ridge term added to the Gram matrix of ``X``. Must be > 0.
        ``"auto"`` uses the mean eigenvalue of that Gram matrix,
        :math:`\\|X\\|_F^2 / n_{features}`, which makes the default invariant
        to the scale of the features.
    beta : float or "auto", default="auto"
        Semantic-side regularisation, the paper's :math:`\\lambda`: strength of
        the ridge term added to the Gram matrix of the seen-class semantics.
        Must be > 0. ``"auto"`` uses the mean eigenvalue of that Gram matrix,
        :math:`\\|S\\|_F^2 / n_{dims}`. It is *not* the paper's
        :math:`\\beta` (see Notes).
    target_coding : {"zero_one", "plus_minus"}, default="zero_one"
        Value of the training targets off the true class: 0, or -1 as in the
        paper [1]_, whose coding adds a per-class bias (see Notes).
    %(seen_penalty)s

    Attributes
    ----------
    %(class_attributes)s
    class_semantics_ : ClassSemantics
        The validated semantics, rows in the order of ``classes_``; all its
        modalities are concatenated.
    coef_ : ndarray of shape (n_dims, n_features)
        Projection of the features into the semantic space, the transpose of
        the paper's :math:`V`: ``X @ coef_.T`` predicts class semantics.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    SAEClassifier : Semantic autoencoder, another closed-form linear model.
    sklearn.linear_model.RidgeClassifier : The supervised special case
        (one-hot semantics), up to the intercept and the semantic-side
        regularisation.

    Notes
    -----
    Write :math:`X` (n_samples, n_features) for the training features,
    :math:`Y \\in \\{0, 1\\}^{n \\times z}` (or :math:`\\{-1, 1\\}^{n \\times z}`
    with ``target_coding="plus_minus"``) for the labels of the :math:`z` seen
    classes (1 for the true class) and :math:`S` (z, n_dims) for the seen-class
    semantics, one class per row. ESZSL minimises

    .. math::

        \\|X V S^\\top - Y\\|_F^2 + \\alpha \\|V S^\\top\\|_F^2
        + \\beta \\|X V\\|_F^2 + \\alpha \\beta \\|V\\|_F^2,

    whose minimiser is

    .. math::

        V = (X^\\top X + \\alpha I)^{-1} X^\\top Y S (S^\\top S + \\beta I)^{-1},

    stored as ``coef_ = V.T``. The scores of a sample ``x`` are
    :math:`x V S_{all}^\\top`, with :math:`S_{all}` the semantics of every class
    in ``classes_``. In the notation of [1]_ (samples and semantics as columns)
    this is :math:`V = (XX^\\top + \\gamma I)^{-1} X Y S^\\top (SS^\\top +
    \\lambda I)^{-1}`, so ``alpha`` is :math:`\\gamma` and ``beta`` is
    :math:`\\lambda`; the paper's third weight :math:`\\beta` (on
    :math:`\\|V\\|_F^2`) is fixed to :math:`\\gamma \\lambda`, which is what makes
    the closed form exist.

    Both inverses are applied with Cholesky solves
    (:func:`scipy.linalg.solve` with ``assume_a="pos"``), never formed. When
    ``n_features > n_samples`` the feature side uses the push-through identity
    :math:`(X^\\top X + \\alpha I)^{-1} X^\\top = X^\\top (X X^\\top + \\alpha I)^{-1}`
    and solves an (n_samples, n_samples) system instead; likewise the semantic
    side solves a (z, z) system when there are more semantic dimensions than
    seen classes. The cost is thus
    :math:`O(n d \\min(n, d) + \\min(n, d)^3)` for ``n`` samples and ``d``
    features.

    With ``target_coding="plus_minus"``, ``Y`` is -1 off the true class and the
    scores of a sample ``x`` are
    twice those of 0/1 targets plus the term

    .. math::

        -(x^\\top u) \\, s_c^\\top (S^\\top S + \\beta I)^{-1} S^\\top \\mathbf{1},

    with :math:`u = (X^\\top X + \\alpha I)^{-1} X^\\top \\mathbf{1}`: a bias
    against classes whose vector points towards the (whitened) sum of the
    seen-class vectors. It varies little across classes when the semantics
    share a common component, as non-negative attributes do, but can dominate
    with zero-mean semantics (e.g. centred embeddings) of fewer dimensions than
    seen classes; :class:`SAEClassifier` has no such term.

    A class's score is an inner product with its semantic vector, so classes
    with longer vectors score higher: normalise the semantics (e.g.
    ``ClassSemantics(labels, matrix, normalize="l2")``) when their norms carry
    no meaning.

    The model has no intercept and the best regularisation depends on the
    scale of the features: centre or normalise ``X`` (e.g. in a
    :class:`~sklearn.pipeline.Pipeline`) and tune ``alpha`` and ``beta`` on a
    logarithmic grid, as [1]_ did over :math:`10^{-3}, \\dots, 10^{3}`, with a
    class-disjoint splitter. The defaults differ from the paper: ``"auto"``
    regularisation relative to the scale of each Gram matrix and 0/1 targets
    (why: :ref:`User Guide <linear>`). Explicit floats and
    ``target_coding="plus_minus"`` give exactly the paper's closed form.

    References
    ----------
    .. [1] B. Romera-Paredes and P. H. S. Torr, "An embarrassingly simple
       approach to zero-shot learning", Proceedings of the 32nd International
       Conference on Machine Learning (ICML), 2015.
       https://proceedings.mlr.press/v37/romera-paredes15.html

    Examples
    --------
    Twenty classes described by ten attributes; features are a noisy linear
    function of the attributes, and classes 15 to 19 have no training sample:

    >>> import numpy as np
    >>> from sklearn_zsl import ClassSemantics
    >>> from sklearn_zsl.linear import ESZSLClassifier
    >>> rng = np.random.RandomState(0)
    >>> attributes = rng.rand(20, 10)
    >>> semantics = ClassSemantics(np.arange(20), attributes)
    >>> y = np.repeat(np.arange(20), 20)
    >>> X = attributes[y] @ rng.randn(10, 20) + 0.3 * rng.randn(400, 20)
    >>> seen = y < 15
    >>> clf = ESZSLClassifier().fit(X[seen], y[seen], class_semantics=semantics)
    >>> clf.unseen_classes_
    array([15, 16, 17, 18, 19])
    >>> clf.decision_function(X[:2]).shape
    (2, 20)

    Zero-shot accuracy on the unseen classes (chance level 0.2):

    >>> y_pred = clf.predict(X[~seen], candidates=clf.unseen_classes_)
    >>> print(f"{np.mean(y_pred == y[~seen]):.2f}")
    0.58
    """

    _parameter_constraints = {
        **SEMANTIC_PARAMETER_CONSTRAINTS,
        "alpha": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "beta": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "target_coding": [StrOptions({"zero_one", "plus_minus"})],
    }

    def __init__(
        self,
        class_semantics=None,
        *,
        alpha="auto",
        beta="auto",
        target_coding="zero_one",
        seen_penalty="auto",
    ):
        self.class_semantics = class_semantics
        self.alpha = alpha
        self.beta = beta
        self.target_coding = target_coding
        self.seen_penalty = seen_penalty

    def _fit_model(self, X, y_ind):
        seen_ind = np.searchsorted(self.classes_, self.seen_classes_)
        semantics = self.class_semantics_.to_numpy()[seen_ind]
        n_samples, n_features = X.shape
        n_seen, n_dims = semantics.shape

        off_target = -1.0 if self.target_coding == "plus_minus" else 0.0
        targets = np.full((n_samples, n_seen), off_target)
        targets[np.arange(n_samples), np.searchsorted(seen_ind, y_ind)] = 1.0
        alpha = _regularization(self.alpha, X)
        beta = _regularization(self.beta, semantics)

        # Feature side, (X'X + alpha I)^-1 X'Y of shape (n_features, n_seen):
        # solve the smaller of the two Gram systems (push-through identity).
        if n_features <= n_samples:
            left = _ridge_solve(X.T @ X, X.T @ targets, alpha)
        else:
            left = X.T @ _ridge_solve(X @ X.T, targets, alpha)

        # Semantic side, V' = (S'S + beta I)^-1 S' left' = S' (SS' + beta I)^-1 left'.
        if n_dims <= n_seen:
            coef = _ridge_solve(semantics.T @ semantics, semantics.T @ left.T, beta)
        else:
            coef = semantics.T @ _ridge_solve(semantics @ semantics.T, left.T, beta)
        self.coef_ = coef
        return self

    def _raw_scores(self, X):
        return (X @ self.coef_.T) @ self.class_semantics_.to_numpy().T
