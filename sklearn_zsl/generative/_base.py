"""What every generative zero-shot model shares: sampling and probabilities."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from numbers import Integral

import numpy as np
from scipy.special import softmax
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

__all__ = ["GenerativeMixin"]


class GenerativeMixin:
    """``sample`` and ``predict_proba`` of a generative zero-shot classifier.

    Put it left of :class:`~sklearn_zsl.ZeroShotClassifierMixin`. A subclass
    implements ``_generate_features(class_ind, rng)``: one generated feature
    vector, in the units of ``X``, per entry of ``class_ind`` (indices into
    ``classes_``), drawn with the :class:`numpy.random.RandomState` ``rng``.
    Its scores are log-likelihoods or logits, so their softmax is a
    probability.
    """

    def _generate_features(self, class_ind, rng):  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must define it")

    def sample(self, classes, n_samples=1, *, random_state=None):
        """Generate features of any classes with semantics, seen or unseen.

        Parameters
        ----------
        classes : array-like of shape (n_selected,)
            Labels among ``classes_``; repeats are allowed.
        n_samples : int, default=1
            Number of features generated per entry of ``classes``.
        random_state : int, RandomState instance or None, default=None
            Controls the noise; an int gives the same features on every call.

        Returns
        -------
        X : ndarray of shape (n_selected * n_samples, n_features)
            Generated features in the units of ``X``, ``n_samples``
            consecutive rows per class.
        y : ndarray of shape (n_selected * n_samples,)
            The label of each row.
        """
        check_is_fitted(self)
        if not isinstance(n_samples, Integral) or n_samples < 1:
            raise ValueError(
                f"n_samples must be a positive integer, got {n_samples!r}."
            )
        classes = self._check_known_classes(classes, name="classes")
        y = np.repeat(classes, n_samples)
        class_ind = np.searchsorted(self.classes_, y)
        X = self._generate_features(class_ind, check_random_state(random_state))
        return X, y

    def predict_proba(self, X):
        """Class probabilities, the softmax of the scores.

        With a Gaussian classifier (``classifier="bayes"``, or IZF's
        ``"gaussian"``) the scores are log-likelihoods (a uniform class
        prior); with ``"softmax"`` the logits of the softmax classifier.
        ``seen_penalty`` is subtracted from the seen classes first, so the
        most probable class is the one :meth:`predict` returns.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input features.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``; rows sum to 1.
        """
        return softmax(self._validated_scores(X), axis=1)
