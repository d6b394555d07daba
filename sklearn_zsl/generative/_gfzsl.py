"""GFZSL: class-conditional Gaussians whose parameters are regressed from semantics."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from sklearn_zsl.base import SEMANTIC_PARAMETER_CONSTRAINTS, ZeroShotClassifierMixin
from sklearn_zsl.generative._base import GenerativeMixin
from sklearn_zsl.generative._heads import (
    fit_softmax_head,
    gaussian_log_likelihood,
    softmax_head_scores,
)
from sklearn_zsl.linear._eszsl import _regularization, _ridge_solve
from sklearn_zsl.utils._docstring import _fill_shared_docs

__all__ = ["GFZSLClassifier"]

#: Smallest variance of a standardised feature: keeps constant features finite.
_VARIANCE_FLOOR = 1e-6
#: Pseudo-observations of the pooled variance added to each seen class's own.
_VARIANCE_PRIOR_WEIGHT = 1.0


def _ridge_with_intercept(semantics, targets, alpha):
    """Ridge regression of ``targets`` on ``semantics``, intercept unpenalised.

    Returns ``coef`` of shape (n_dims, n_targets), ``intercept`` of shape
    (n_targets,) and the resolved ``alpha``.
    """
    semantics_mean = semantics.mean(axis=0)
    targets_mean = targets.mean(axis=0)
    centred = semantics - semantics_mean
    alpha = _regularization(alpha, centred)
    n_classes, n_dims = centred.shape
    # solve the smaller Gram system (push-through identity)
    if n_dims <= n_classes:
        coef = _ridge_solve(
            centred.T @ centred, centred.T @ (targets - targets_mean), alpha
        )
    else:
        coef = centred.T @ _ridge_solve(
            centred @ centred.T, targets - targets_mean, alpha
        )
    return coef, targets_mean - semantics_mean @ coef, float(alpha)


@_fill_shared_docs
class GFZSLClassifier(
    GenerativeMixin, ZeroShotClassifierMixin, ClassifierMixin, BaseEstimator
):
    """Generative zero-shot classifier with Gaussian class models (GFZSL).

    Each class is a Gaussian with a diagonal covariance. The seen classes'
    Gaussians are estimated from their samples; ridge regressions from the
    class semantics to these class means (and log-variances) predict the
    Gaussians of the unseen classes, in closed form. A test sample is then
    classified by its likelihood under every class (``classifier="bayes"``)
    or by a softmax classifier trained on the real seen features and on
    features sampled from the unseen Gaussians (``classifier="softmax"``).
    :meth:`sample` generates features of any class.

    Read more in the :ref:`User Guide <gfzsl>`.

    Parameters
    ----------
    %(class_semantics)s
    classifier : {"bayes", "softmax"}, default="bayes"
        ``"bayes"``: the Gaussian log-likelihood of each class (a uniform
        class prior), the paper's classifier. ``"softmax"``: a multinomial
        logistic regression on the standardised real features of the seen
        classes plus ``n_synthetic_per_class`` features sampled for every
        unseen class.
    alpha : float or "auto", default="auto"
        Strength of the ridge penalty of the regressions from the semantics
        to the class means and log-variances; must be > 0. ``"auto"`` uses
        the mean eigenvalue of the Gram matrix of the centred seen-class
        semantics, :math:`\\|S - \\bar s\\|_F^2 / n_{dims}`, which makes the
        default invariant to the scale of the semantics.
    covariance : {"diag", "pooled"}, default="pooled"
        ``"pooled"``: every class shares the pooled within-class variance of
        each feature. ``"diag"``: each seen class has its own variances and
        an unseen class gets variances regressed (as logarithms) from its
        semantics, as in the paper.
    n_synthetic_per_class : int, default=100
        Features sampled for each unseen class to train the softmax
        classifier. Unused with ``classifier="bayes"``.
    softmax_C : float, default=0.01
        Inverse L2 regularisation strength of the softmax classifier (a
        :class:`~sklearn.linear_model.LogisticRegression` on standardised
        features). Unused with ``classifier="bayes"``. With ``seen_penalty=0``
        it trades seen- for unseen-class accuracy, as does
        ``n_synthetic_per_class``.
    random_state : int, RandomState instance or None, default=None
        Controls the features sampled for the softmax classifier.
    %(seen_penalty)s

    Attributes
    ----------
    %(class_attributes)s
    class_semantics_ : ClassSemantics
        The validated semantics, rows in the order of ``classes_``; all its
        modalities are concatenated.
    means_ : ndarray of shape (n_classes, n_features)
        Mean of each class's Gaussian, in the units of ``X``: the sample mean
        for a seen class, the regressed mean for an unseen class.
    variances_ : ndarray of shape (n_classes, n_features)
        Per-feature variances of each class's Gaussian, in the units of ``X``.
    coef_ : ndarray of shape (n_features, n_dims)
        Coefficients of the regression of the class means on the semantics,
        in the units of ``X``: a class with semantics ``s`` has the predicted
        mean ``coef_ @ s + intercept_``.
    intercept_ : ndarray of shape (n_features,)
        Intercept of that regression.
    log_variance_coef_ : ndarray of shape (n_features, n_dims) or None
        With ``covariance="diag"``, coefficients of the regression of the
        logarithms of the class variances (units of ``X``) on the semantics;
        ``None`` with ``"pooled"``.
    log_variance_intercept_ : ndarray of shape (n_features,) or None
        Intercept of that regression, or ``None``.
    alpha_ : float
        The ridge strength used (``alpha`` with ``"auto"`` resolved).
    feature_mean_ : ndarray of shape (n_features,)
        Mean of the training features, used to standardise them.
    feature_scale_ : ndarray of shape (n_features,)
        Standard deviation of the training features (1 for a constant one).
    head_ : LogisticRegression or None
        The softmax classifier on standardised features with
        ``classifier="softmax"``, else ``None``.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    sklearn_zsl.flow.IZFClassifier : A generative model with a normalizing
        flow, with the same heads and :meth:`sample`.
    sklearn_zsl.metrics.generation_quality : How well generated features
        match real ones.
    sklearn.discriminant_analysis.LinearDiscriminantAnalysis : The supervised
        special case of ``classifier="bayes"`` with ``covariance="pooled"``
        and a diagonal covariance.

    Notes
    -----
    The features are standardised with the mean and standard deviation of
    the training set before anything is fitted; every fitted attribute and
    every generated feature is returned in the units of ``X``. Standardising
    changes neither the Gaussian likelihoods (up to a constant shared by all
    classes) nor the regressed means, but makes the softmax classifier's L2
    penalty and the variance floor (:math:`10^{-6}` of a feature's variance)
    independent of the units.

    **Seen classes** keep their maximum-likelihood means, as in the paper's
    generalised setting [1]_, not their regressed ones. Their variance of
    feature :math:`j` is the unbiased within-class variance shrunk towards
    the pooled within-class variance :math:`\\bar v_j` with the weight of one
    sample, :math:`v_{cj} = (\\sum_{i \\in c} (x_{ij} - \\mu_{cj})^2 + \\bar
    v_j) / n_c`, which is defined even for a class of one sample.

    **Unseen classes**: the means :math:`M` (z, n_features) of the z seen
    classes are regressed on their semantics :math:`S` (z, n_dims) by ridge
    regression with an unpenalised intercept,
    :math:`W = (S_0^\\top S_0 + \\alpha I)^{-1} S_0^\\top M_0` with
    :math:`S_0, M_0` the centred matrices, solved on the smaller of the two
    Gram matrices. With ``covariance="diag"``, :math:`\\log v_{cj}` is
    regressed the same way; the paper [1]_ also regresses the log-variances
    but with a separate regularisation for each regression, here one ``alpha``
    serves both.

    **Defaults** (the bayes head, the pooled variance and ``alpha="auto"``)
    were chosen on semi-synthetic tasks; the measurements are in the
    :ref:`User Guide <gfzsl>`.

    References
    ----------
    .. [1] V. K. Verma and P. Rai, "A Simple Exponential Family Framework for
       Zero-Shot Learning", Joint European Conference on Machine Learning and
       Knowledge Discovery in Databases (ECML-PKDD), 2017.
       https://arxiv.org/abs/1707.08040

    Examples
    --------
    Twenty classes described by ten attributes; features are a noisy linear
    function of the attributes, and classes 15 to 19 have no training sample:

    >>> import numpy as np
    >>> from sklearn_zsl import ClassSemantics
    >>> from sklearn_zsl.generative import GFZSLClassifier
    >>> rng = np.random.RandomState(0)
    >>> attributes = rng.rand(20, 10)
    >>> semantics = ClassSemantics(np.arange(20), attributes)
    >>> y = np.repeat(np.arange(20), 20)
    >>> X = attributes[y] @ rng.randn(10, 20) + 0.3 * rng.randn(400, 20)
    >>> seen = y < 15
    >>> clf = GFZSLClassifier(random_state=0)
    >>> clf = clf.fit(X[seen], y[seen], class_semantics=semantics)
    >>> clf.unseen_classes_
    array([15, 16, 17, 18, 19])
    >>> clf.means_.shape
    (20, 20)

    Zero-shot accuracy on the unseen classes (chance level 0.2):

    >>> y_pred = clf.predict(X[~seen], candidates=clf.unseen_classes_)
    >>> print(f"{np.mean(y_pred == y[~seen]):.2f}")
    1.00

    Features generated for an unseen class:

    >>> X_new, y_new = clf.sample([17], n_samples=3, random_state=0)
    >>> X_new.shape, y_new
    ((3, 20), array([17, 17, 17]))
    """

    _parameter_constraints = {
        **SEMANTIC_PARAMETER_CONSTRAINTS,
        "classifier": [StrOptions({"bayes", "softmax"})],
        "alpha": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "covariance": [StrOptions({"diag", "pooled"})],
        "n_synthetic_per_class": [Interval(Integral, 1, None, closed="left")],
        "softmax_C": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    }

    # each is used by the parts fitted for its value at fit
    _refit_params = ("classifier", "covariance")

    def __init__(
        self,
        class_semantics=None,
        *,
        classifier="bayes",
        alpha="auto",
        covariance="pooled",
        n_synthetic_per_class=100,
        softmax_C=0.01,
        random_state=None,
        seen_penalty="auto",
    ):
        self.class_semantics = class_semantics
        self.classifier = classifier
        self.alpha = alpha
        self.covariance = covariance
        self.n_synthetic_per_class = n_synthetic_per_class
        self.softmax_C = softmax_C
        self.random_state = random_state
        self.seen_penalty = seen_penalty

    def _fit_model(self, X, y_ind):
        self.feature_mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        self.feature_scale_ = np.where(scale > 0, scale, 1.0)
        X_scaled = self._scale(X)

        seen = np.searchsorted(self.classes_, self.seen_classes_)
        means, variances = self._seen_gaussians(X_scaled, y_ind, seen)
        semantics = self.class_semantics_.to_numpy().astype(np.float64)
        n_features = X.shape[1]
        targets = means
        if self.covariance == "diag":
            targets = np.concatenate([means, np.log(variances)], axis=1)
        coef, intercept, self.alpha_ = _ridge_with_intercept(
            semantics[seen], targets, self.alpha
        )
        predicted = semantics @ coef + intercept

        # seen classes keep their own estimates, unseen ones get the regressed
        all_means = predicted[:, :n_features].copy()
        all_means[seen] = means
        if self.covariance == "diag":
            all_variances = np.exp(predicted[:, n_features:])
            all_variances[seen] = variances
        else:
            all_variances = np.broadcast_to(variances, all_means.shape).copy()
        self._means_scaled = all_means
        self._variances_scaled = np.maximum(all_variances, _VARIANCE_FLOOR)
        self._set_public_parameters(coef, intercept, n_features)

        self.head_ = None
        if self.classifier == "softmax":
            self.head_ = self._fit_head(X_scaled, y_ind)
        return self

    def _seen_gaussians(self, X_scaled, y_ind, seen):
        """Means and variances of the seen classes, in standardised units.

        Returns per-class variances of shape (n_seen, n_features), or with
        ``covariance="pooled"`` the pooled variances of shape (n_features,).
        """
        position = np.searchsorted(seen, y_ind)
        counts = np.bincount(position, minlength=seen.size).astype(np.float64)
        means = np.zeros((seen.size, X_scaled.shape[1]))
        np.add.at(means, position, X_scaled)
        means /= counts[:, np.newaxis]
        scatter = np.zeros_like(means)
        np.add.at(scatter, position, (X_scaled - means[position]) ** 2)
        n_samples = X_scaled.shape[0]
        if n_samples > seen.size:
            pooled = scatter.sum(axis=0) / (n_samples - seen.size)
        else:  # one sample per class: the total variance, 1 once standardised
            pooled = np.ones(X_scaled.shape[1])
        pooled = np.maximum(pooled, _VARIANCE_FLOOR)
        if self.covariance == "pooled":
            return means, pooled
        variances = (scatter + _VARIANCE_PRIOR_WEIGHT * pooled) / (
            counts[:, np.newaxis] - 1.0 + _VARIANCE_PRIOR_WEIGHT
        )
        return means, np.maximum(variances, _VARIANCE_FLOOR)

    def _set_public_parameters(self, coef, intercept, n_features):
        """Fitted attributes in the units of ``X``."""
        mean, scale = self.feature_mean_, self.feature_scale_
        self.means_ = self._means_scaled * scale + mean
        self.variances_ = self._variances_scaled * scale**2
        self.coef_ = (coef[:, :n_features] * scale).T
        self.intercept_ = intercept[:n_features] * scale + mean
        self.log_variance_coef_ = None
        self.log_variance_intercept_ = None
        if self.covariance == "diag":
            self.log_variance_coef_ = coef[:, n_features:].T.copy()
            self.log_variance_intercept_ = intercept[n_features:] + 2.0 * np.log(scale)

    def _scale(self, X):
        return (X - self.feature_mean_) / self.feature_scale_

    def _sample_scaled(self, class_ind, rng):
        """One standardised feature per entry of ``class_ind``."""
        noise = rng.standard_normal((class_ind.size, self._means_scaled.shape[1]))
        return self._means_scaled[class_ind] + noise * np.sqrt(
            self._variances_scaled[class_ind]
        )

    def _fit_head(self, X_scaled, y_ind):
        rng = check_random_state(self.random_state)
        unseen = np.searchsorted(self.classes_, self.unseen_classes_)
        synthetic_ind = np.repeat(unseen, self.n_synthetic_per_class)
        return fit_softmax_head(
            X_scaled,
            self.classes_[y_ind],
            self._sample_scaled(synthetic_ind, rng),
            self.classes_[synthetic_ind],
            C=self.softmax_C,
            random_state=rng.randint(np.iinfo(np.int32).max),
        )

    def _raw_scores(self, X):
        X_scaled = self._scale(X)
        if self.classifier == "softmax":
            return softmax_head_scores(self.head_, X_scaled, self.classes_)
        # log-densities in the units of X: the Jacobian of the standardisation
        log_density = gaussian_log_likelihood(
            X_scaled, self._means_scaled, self._variances_scaled
        )
        return log_density - np.sum(np.log(self.feature_scale_))

    def _generate_features(self, class_ind, rng):
        """One feature per class index, drawn from the class's Gaussian."""
        X_scaled = self._sample_scaled(class_ind, rng)
        return X_scaled * self.feature_scale_ + self.feature_mean_
