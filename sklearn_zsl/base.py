"""The estimator contract shared by every zero-shot classifier."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Mapping
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import _fit_context, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from sklearn_zsl.semantics import ClassSemantics, check_class_semantics
from sklearn_zsl.utils._labels import (
    check_label_types_match,
    check_labels,
    format_labels,
)

__all__ = ["ZeroShotClassifierMixin"]

#: Parameter constraints shared by every zero-shot classifier. They admit the
#: forms of class semantics ``fit`` accepts (``check_class_semantics``), no
#: other: a bare list or array carries no class labels.
SEMANTIC_PARAMETER_CONSTRAINTS = {
    "class_semantics": [ClassSemantics, pd.DataFrame, Mapping, None],
    "seen_penalty": [
        StrOptions({"auto"}),
        Interval(Real, None, None, closed="neither"),
    ],
}


#: number of score-matrix entries predict holds at a time
_CHUNK_ELEMENTS = 2**22
#: training samples whose scores fit checks
_N_CHECKED_ROWS = 64


def _one_hot_semantics(classes):
    return ClassSemantics(classes, {"one_hot": np.eye(classes.shape[0])})


class ZeroShotClassifierMixin:
    """Mixin giving a classifier the zero-shot contract of :mod:`sklearn_zsl`.

    Put it left of :class:`~sklearn.base.ClassifierMixin` and
    :class:`~sklearn.base.BaseEstimator`. It provides :meth:`fit`,
    :meth:`decision_function` and :meth:`predict`; a subclass implements two
    hooks:

    - ``_fit_model(X, y_ind)``: fit on validated ``X`` and ``y_ind``, the
      indices of the labels in ``classes_``; :attr:`class_semantics_` (rows in
      ``classes_`` order), ``seen_classes_`` and ``unseen_classes_`` are set
      before it is called.
    - ``_raw_scores(X)``: scores of shape (n_samples, n_classes) on validated
      ``X``, higher meaning more likely, columns in ``classes_`` order.

    Class semantics come from the ``class_semantics`` argument of ``fit`` or,
    when it is ``None``, from the constructor parameter of the same name; with
    neither, each class gets a one-hot vector and the estimator is an ordinary
    supervised classifier. ``fit`` declares the metadata request
    ``{"class_semantics": True}``, so with metadata routing enabled no
    ``set_fit_request`` call is needed.

    If ``fit`` fails, every fitted attribute is removed: the estimator is left
    unfitted, never half-fitted. ``fit`` fails, with a hint, when the trained
    model cannot classify: when its scores of training samples are not finite
    or, with class semantics, equal for every class or for every sample.

    Parameters are validated by ``_parameter_constraints`` at ``fit``, and
    those named in ``_prediction_params`` (read at prediction, such as
    ``seen_penalty``) again at prediction, since they may change in between.
    Those named in ``_refit_params`` are read at prediction but shaped the
    fitted model: changing one after ``fit`` is an error asking for a refit.

    ``seen_penalty="auto"`` is chosen in ``fit`` on
    ``_calibration_split_count`` class-disjoint splits of the training data
    (:func:`~sklearn_zsl.model_selection.calibrate_seen_penalty`) and stored
    in ``seen_penalty_``; :meth:`score` is a zero-shot accuracy chosen by the
    classes of ``y``, so that model selection without ``scoring`` means what
    the zero-shot scorers mean.

    Read more in the :ref:`User Guide <contract>`.

    Examples
    --------
    A nearest-class-vector classifier on the contract: least squares from the
    features to the class vectors, scored by negative squared distance.

    >>> import numpy as np
    >>> from sklearn.base import BaseEstimator, ClassifierMixin
    >>> from sklearn_zsl import ClassSemantics, ZeroShotClassifierMixin
    >>> class LeastSquaresZSL(ZeroShotClassifierMixin, ClassifierMixin, BaseEstimator):
    ...     def __init__(self, class_semantics=None, *, seen_penalty=0.0):
    ...         self.class_semantics = class_semantics
    ...         self.seen_penalty = seen_penalty
    ...     def _fit_model(self, X, y_ind):
    ...         S = self.class_semantics_.to_numpy()
    ...         self.coef_ = np.linalg.lstsq(X, S[y_ind], rcond=None)[0]
    ...     def _raw_scores(self, X):
    ...         S = self.class_semantics_.to_numpy()
    ...         return -(((X @ self.coef_)[:, None, :] - S) ** 2).sum(axis=-1)
    >>> semantics = ClassSemantics(
    ...     ["ant", "bee", "cat"], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    ... )
    >>> X = np.array([[2.0, 0.1], [0.1, 2.0]])
    >>> clf = LeastSquaresZSL().fit(X, ["ant", "bee"], class_semantics=semantics)
    >>> clf.unseen_classes_
    array(['cat'], dtype='<U3')
    >>> clf.predict([[2.0, 2.1], [2.0, 0.0]])
    array(['cat', 'ant'], dtype='<U3')
    """

    __metadata_request__fit = {"class_semantics": True}
    _parameter_constraints: dict = SEMANTIC_PARAMETER_CONSTRAINTS

    #: dtype ``X`` is converted to in ``fit`` and at prediction.
    _fit_dtype = np.float64
    #: smallest number of seen classes ``fit`` accepts.
    _min_seen_classes = 2
    #: parameters read at prediction: validated there too, as they may change
    #: after ``fit`` without a refit.
    _prediction_params = ("seen_penalty",)
    #: parameters read at prediction whose value at ``fit`` shaped the fitted
    #: model: predicting after changing one is an error asking for a refit.
    _refit_params = ()
    #: class-disjoint splits ``seen_penalty="auto"`` fits a clone on
    _n_calibration_splits = 5

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, class_semantics=None):
        """Fit the model on seen-class samples and the semantics of all classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (samples of seen classes only).
        y : array-like of shape (n_samples,)
            Training labels.
        class_semantics : ClassSemantics, pandas.DataFrame or dict, default=None
            Semantic vectors of the seen and unseen classes; overrides the
            constructor parameter of the same name. ``None`` uses that
            parameter, or one-hot vectors of the classes of ``y`` if it is
            ``None`` too.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        try:
            X, y = validate_data(self, X, y, dtype=self._fit_dtype)
            y = check_labels(y, name="y")
            check_classification_targets(y)
            semantics = self._resolve_semantics(y, class_semantics)
            self.classes_ = semantics.labels
            self.class_semantics_ = semantics
            self.seen_classes_ = np.unique(y)
            self.unseen_classes_ = np.setdiff1d(self.classes_, self.seen_classes_)
            y_ind = np.searchsorted(self.classes_, y)
            one_hot = class_semantics is None and self.class_semantics is None
            # calibration first: callbacks and files of the final fit win
            self.seen_penalty_ = self._fit_seen_penalty(X, y)
            self._fit_numerically_checked(X, y_ind, one_hot=one_hot)
        except BaseException:
            # KeyboardInterrupt included: skorch handles Ctrl-C within its
            # training loop; one anywhere else leaves nothing half-fitted
            self._forget_fit()
            raise
        return self

    def _resolve_semantics(self, y, class_semantics):
        """Validate the semantics and return them sorted like ``np.unique``."""
        source = self.class_semantics if class_semantics is None else class_semantics
        if source is None:
            semantics = _one_hot_semantics(np.unique(y))
        else:
            semantics = check_class_semantics(source, y=y)
            semantics = semantics.select(np.unique(semantics.labels))
        n_seen = np.unique(y).shape[0]
        if n_seen < self._min_seen_classes:
            raise ValueError(
                f"{type(self).__name__} needs at least {self._min_seen_classes} "
                f"seen classes in y, got {n_seen} class "
                f"{format_labels(np.unique(y))}; add samples of other classes."
            )
        return semantics

    def _forget_fit(self):
        params = self.get_params(deep=False)
        fitted = [
            name
            for name in vars(self)
            if name.endswith("_") and not name.startswith("_") and name not in params
        ]
        for name in fitted:
            delattr(self, name)
        self.__dict__.pop("_fitted_params", None)
        self.__dict__.pop("_seen_penalty_chosen", None)

    def __sklearn_is_fitted__(self):
        # ``classes_`` is set first in fit and removed by _forget_fit; the
        # default rule (any attribute ending in "_") would call an unfitted
        # estimator fitted if a parameter's name ended in "_".
        return hasattr(self, "classes_")

    def _fit_model(self, X, y_ind):  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must define _fit_model")

    def _raw_scores(self, X):  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must define _raw_scores")

    def _fit_numerically_checked(self, X, y_ind, *, one_hot=False):
        """Run ``_fit_model``, then check the model it trained can classify.

        A ``ValueError`` raised by ``_fit_model`` after a NumPy overflow or
        invalid operation (inf - inf, 0 * inf), such as SciPy's "array must
        not contain infs or NaNs", is re-raised saying so, with a hint: X or
        class semantics of extreme scale. An overflow the fit recovers from
        (an optimiser's line search, say) is no error. Without class
        semantics (``one_hot``), the estimator is an ordinary classifier and,
        like scikit-learn's, fits any finite data: only non-finite scores are
        an error then.
        """
        overflows = []
        try:
            with np.errstate(
                over="call",
                invalid="call",
                call=lambda kind, flag: overflows.append(kind),
            ):
                self._fit_model(X, y_ind)
        except ValueError as exc:
            if not overflows:
                raise
            raise ValueError(
                f"Fitting {type(self).__name__} overflowed to non-finite values "
                f"({overflows[0]} in NumPy, then: {exc}): X or the class "
                f"semantics are of extreme scale. {self._scale_hint()}."
            ) from exc
        self._check_trained_scores(X, finite_only=one_hot)
        self._fitted_params = {name: getattr(self, name) for name in self._refit_params}

    def _scale_hint(self):
        hint = (
            "Check the scale of X and of the class semantics (e.g. standardise "
            "them with StandardScaler and ClassSemantics(..., "
            "normalize='standard'))"
        )
        if "lr" in self.get_params(deep=False):
            hint += f", and lower the learning rate (lr={self.lr!r})"
        return hint

    def _check_trained_scores(self, X, *, finite_only=False):
        """Raise if the trained model cannot classify its own training samples.

        A model whose scores are not finite, or (``finite_only=False``) equal
        for every class on every checked sample, or the same for every sample
        (e.g. after an overflow), would predict one arbitrary class: ``fit``
        fails instead, with a hint.
        """
        rows = np.unique(np.linspace(0, X.shape[0] - 1, _N_CHECKED_ROWS, dtype=int))
        with np.errstate(all="ignore"):
            scores = np.asarray(self._raw_scores(X[rows]), dtype=np.float64)
            finite = np.isfinite(scores)
            spread = np.ptp(scores, axis=1)
            size = np.max(np.abs(scores), axis=1)
        tolerance = 4 * np.finfo(np.float64).eps
        problem = None
        if not np.all(finite):
            problem = (
                f"gives non-finite class scores to {np.sum(~finite.all(axis=1))} of "
                f"the {rows.size} training samples checked"
            )
        elif finite_only:
            return
        elif np.all(spread <= tolerance * size):
            problem = "gives every class the same score on its training samples"
        elif (
            rows.size > 1
            and np.all(np.abs(scores - scores[0]) <= tolerance * np.max(size))
            and np.ptp(X[rows], axis=0).any()
        ):
            problem = "gives the same scores to every training sample (X is ignored)"
        if problem is None:
            return
        raise ValueError(
            f"The trained {type(self).__name__} {problem} (X of {X.shape[0]} "
            f"samples, n_features={X.shape[1]}): it cannot classify (the "
            f"computation overflowed or diverged, or the data cannot separate "
            f"the classes). {self._scale_hint()}."
        )

    def _check_prediction_params(self):
        """Validate the parameters read at prediction; check refit ones unchanged."""
        names = (*self._prediction_params, *self._refit_params)
        constraints = {
            name: self._parameter_constraints[name]
            for name in names
            if name in self._parameter_constraints
        }
        validate_parameter_constraints(
            constraints,
            {name: getattr(self, name) for name in constraints},
            caller_name=type(self).__name__,
        )
        # models pickled before the fit-time values were recorded have none
        for name, fitted in getattr(self, "_fitted_params", {}).items():
            value = getattr(self, name)
            if value != fitted:
                raise ValueError(
                    f"The {name!r} parameter of {type(self).__name__} was "
                    f"{fitted!r} at fit and is {value!r} now; it shaped the fitted "
                    f"model, so refit after changing it (or set it back to "
                    f"{fitted!r})."
                )

    def _validated_input(self, X):
        """Check the model is fitted and its prediction parameters; validate X."""
        check_is_fitted(self)
        self._check_prediction_params()
        return validate_data(self, X, reset=False, dtype=self._fit_dtype)

    def _fit_seen_penalty(self, X, y):
        """The seen penalty for ``seen_penalty_``: chosen here when ``"auto"``.

        Without unseen classes the penalty changes no prediction and is 0.
        Otherwise a clone is fitted on class-disjoint splits of the training
        data (:func:`~sklearn_zsl.model_selection.calibrate_seen_penalty`).
        A subclass that chooses more on the same splits extends
        ``_auto_choices`` and ``_calibrate``.
        """
        self._seen_penalty_chosen = self.seen_penalty == "auto"
        given = None if self._seen_penalty_chosen else float(self.seen_penalty)
        fallback = 0.0 if given is None else given
        choices = self._auto_choices()
        if choices is None or self.unseen_classes_.size == 0:
            return fallback
        splits = self._calibration_splits(X, y, *choices)
        if splits is None:
            return fallback
        with self._calibration_warnings():
            penalty = self._calibrate(X, y, splits)
        return penalty if given is None else given

    def _auto_choices(self):
        """What ``fit`` chooses on calibration splits, or None if nothing.

        Returns ``(purpose, fallback)`` for the warning of
        :meth:`_calibration_splits` where the splits cannot be made.
        """
        if self.seen_penalty != "auto":
            return None
        return (
            "seen_penalty='auto' chooses the penalty",
            "seen_penalty_=0.0; set a number",
        )

    def _calibrate(self, X, y, splits):
        """The seen penalty chosen on ``splits`` (and whatever else is chosen)."""
        # imported here: utils imports model_selection (its holding-out
        # mechanism), which imports the metrics, which import utils
        from sklearn_zsl.model_selection._calibration import calibrate_seen_penalty

        return calibrate_seen_penalty(
            self._calibration_clone(), X, y, self.class_semantics_, cv=splits
        )

    def _calibration_splits(self, X, y, purpose, fallback):
        """The class-disjoint splits of ``"auto"`` choices, or None with a warning.

        The warning says what is chosen (``purpose``, e.g. "seen_penalty='auto'
        chooses the penalty") and what is used instead (``fallback``).
        """
        from sklearn_zsl.model_selection._split import GZSLShuffleSplit

        n_seen = self.seen_classes_.size
        # the same splits at every fit unless random_state says otherwise, so
        # that a deterministic fit stays deterministic
        random_state = getattr(self, "random_state", None)
        seed = 0 if random_state is None else check_random_state(random_state)
        unseen_size = max(2, int(np.ceil(0.2 * n_seen)))
        cv = GZSLShuffleSplit(
            n_splits=self._calibration_split_count(unseen_size),
            unseen_size=unseen_size,
            seen_test_size=0.2,
            random_state=seed,
        )
        # Split on the order in which classes first appear in y, not on their
        # labels, so that relabelling the classes permutes the outputs.
        _, first, inverse = np.unique(y, return_index=True, return_inverse=True)
        codes = np.argsort(np.argsort(first))[inverse]
        try:
            return list(cv.split(X, codes))
        except ValueError:
            warnings.warn(
                f"{purpose} by holding out whole seen classes (at least 2, with "
                f"2 kept) and a fifth of the other classes' samples, which "
                f"{n_seen} seen classes of these sizes do not allow. Using "
                f"{fallback} to silence this warning.",
                UserWarning,
                stacklevel=5,
            )
            return None

    def _calibration_split_count(self, unseen_size):
        """How many calibration splits, each holding out ``unseen_size`` classes."""
        return self._n_calibration_splits

    def _calibration_clone(self):
        """An unfitted copy for the calibration fits: silent, no callbacks.

        The calibration fits print nothing and run without the user's
        callbacks, whose side effects (checkpoint files, logs) belong to the
        final fit only.
        """
        model = clone(self)
        quiet = {"verbose": 0, "callbacks": None}
        params = model.get_params(deep=False)
        return model.set_params(
            **{name: value for name, value in quiet.items() if name in params}
        )

    @contextlib.contextmanager
    def _calibration_warnings(self):
        """Re-raise the calibration fits' warnings at the user's call of fit."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for warning in caught:
            warnings.warn(warning.message, warning.category, stacklevel=6)

    def _active_seen_penalty(self):
        """The seen penalty predictions subtract: the parameter, or the chosen one."""
        if self.seen_penalty != "auto":
            return self.seen_penalty
        # models pickled before the penalty could be chosen have no flag
        if not getattr(self, "_seen_penalty_chosen", False):
            raise ValueError(
                f"seen_penalty='auto' is chosen in fit, but {type(self).__name__} "
                f"was fitted with seen_penalty={self.seen_penalty_!r}; refit to "
                f"choose it, or set a number."
                if hasattr(self, "seen_penalty_")
                else f"seen_penalty='auto' is chosen in fit, but this "
                f"{type(self).__name__} was fitted without it; refit."
            )
        return self.seen_penalty_

    def _validated_scores(self, X):
        """Scores of shape (n_samples, n_classes) with the seen penalty applied."""
        X = self._validated_input(X)
        scores = np.asarray(self._raw_scores(X), dtype=np.float64)
        penalty = self._active_seen_penalty()
        if penalty:
            scores = scores - penalty * self._seen_mask()
        return scores

    def _seen_mask(self):
        return np.isin(self.classes_, self.seen_classes_)

    def decision_function(self, X):
        """Score every class, ``seen_penalty`` subtracted from seen classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input features.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes) or (n_samples,)
            Higher means more likely; columns in the order of ``classes_``. With
            exactly two classes, a 1-D array: the score of ``classes_[1]``
            minus that of ``classes_[0]`` (scikit-learn's binary convention).
        """
        scores = self._validated_scores(X)
        if scores.shape[1] == 2:
            return scores[:, 1] - scores[:, 0]
        return scores

    def predict(self, X, *, candidates=None):
        """Predict the most likely class among all (or the candidate) classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input features.
        candidates : array-like of labels, default=None
            Restrict the prediction to these classes, e.g.
            ``candidates=clf.unseen_classes_`` for conventional zero-shot
            learning. ``None`` searches all classes (generalised ZSL). A
            list or an array of labels of the type of ``classes_``; a set is
            rejected, and so is a boolean mask (select with it first:
            ``candidates=clf.classes_[mask]``).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels: the argmax of :meth:`decision_function` over the
            candidates, computed chunk by chunk in bounded memory.
        """
        X = self._validated_input(X)
        keep = None if candidates is None else self._candidate_mask(candidates)
        penalty = self._active_seen_penalty()
        penalty = penalty * self._seen_mask() if penalty else None
        y_ind = np.empty(X.shape[0], dtype=np.intp)
        # chunk by chunk, so that memory stays bounded however many rows X has
        for rows, scores in self._iter_raw_scores(X):
            if penalty is not None:
                # the arithmetic of decision_function, for identical ties
                scores = np.asarray(scores, dtype=np.float64) - penalty
            if keep is not None:
                scores = np.where(keep, scores, -np.inf)
            y_ind[rows] = np.argmax(scores, axis=1)
        return self.classes_[y_ind]

    def score(self, X, y, sample_weight=None) -> float:
        """Zero-shot accuracy suited to the classes of ``y``.

        What scikit-learn's model selection uses when no ``scoring`` is given
        (``GridSearchCV``, ``cross_val_score``), so that it means the same as
        the zero-shot scorers. The metric is a per-class mean top-1 accuracy
        (Xian et al.) chosen by the classes present in ``y``:

        - all **unseen** (e.g. a fold of
          :class:`~sklearn_zsl.model_selection.ZSLKFold`): zero-shot accuracy
          among the classes present, as
          :data:`~sklearn_zsl.metrics.zsl_scorer`; NaN, with a warning, when
          only one class is present;
        - seen **and** unseen (e.g. a fold of
          :class:`~sklearn_zsl.model_selection.GZSLShuffleSplit`): the harmonic
          mean ``H`` of the seen and unseen accuracies of :meth:`predict`, as
          :data:`~sklearn_zsl.metrics.gzsl_scorer`'s ``"H"``;
        - all **seen** (an ordinary classification test): the per-class
          accuracy of :meth:`predict` over all classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test features.
        y : array-like of shape (n_samples,)
            True labels, each among ``classes_``.
        sample_weight : None
            Not supported: the accuracies weigh every class equally. Passing
            weights raises a ``ValueError``.

        Returns
        -------
        score : float
            In [0, 1], or NaN for a single unseen class.
        """
        # imported here, as in _fit_seen_penalty: an import cycle otherwise
        from sklearn_zsl.metrics._classification import (
            _check_targets,
            _gzsl_scores,
            _per_class_accuracy,
        )
        from sklearn_zsl.metrics._scorer import _check_known_target, zsl_scorer

        if sample_weight is not None:
            raise ValueError(
                f"{type(self).__name__}.score does not support sample_weight: its "
                "per-class accuracies weigh every class equally. Leave "
                "sample_weight=None."
            )
        check_is_fitted(self)
        y = _check_known_target(y, self.classes_)
        is_seen = np.isin(y, self.seen_classes_)
        if not np.any(is_seen):
            return zsl_scorer(self, X, y)
        y, y_pred = _check_targets(y, self.predict(X))
        if np.all(is_seen):
            return _per_class_accuracy(y, y_pred, np.unique(y))
        return _gzsl_scores(y, y_pred, self.seen_classes_)["H"]

    def _iter_raw_scores(self, X):
        """Yield ``(rows, raw scores of X[rows])`` over chunks of rows."""
        n_rows = max(1, _CHUNK_ELEMENTS // self.classes_.shape[0])
        for start in range(0, X.shape[0], n_rows):
            rows = slice(start, start + n_rows)
            yield rows, self._raw_scores(X[rows])

    def _candidate_mask(self, candidates):
        candidates = self._check_known_classes(candidates, name="candidates")
        return np.isin(self.classes_, candidates)

    def _check_known_classes(self, labels, *, name):
        """Return ``labels`` as an array after checking they are among classes_."""
        if isinstance(labels, str | bytes) or (
            np.ndim(labels) != 1 and not hasattr(labels, "__len__")
        ):
            raise ValueError(
                f"{name} must be a 1-D array-like of class labels, e.g. "
                f"clf.unseen_classes_; got {labels!r}."
            )
        labels = check_labels(labels, name=name)
        if labels.ndim != 1:
            raise ValueError(
                f"{name} must be a 1-D array-like of class labels, e.g. "
                f"clf.unseen_classes_; got an array of shape {labels.shape}."
            )
        if labels.size == 0:
            raise ValueError(f"{name} is empty; give at least one class label.")
        check_label_types_match(
            labels, self.classes_, name=name, reference_name="classes_"
        )
        unknown = np.setdiff1d(labels, self.classes_)
        if unknown.size:
            raise ValueError(
                f"Unknown {name} {format_labels(unknown)}; {name} must be among "
                f"classes_ {format_labels(self.classes_)}."
            )
        return labels

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags
