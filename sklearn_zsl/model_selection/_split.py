"""Class-disjoint cross-validation splitters for zero-shot learning.

In zero-shot learning the test classes must be *unseen*: no sample of a test
class may appear in the training set. The splitters of this module therefore
split on the class labels ``y`` rather than on samples:

- :class:`ZSLKFold` partitions the classes into ``n_splits`` folds; each fold's
  classes are held out in turn and all their samples form the test set.
- :class:`GZSLShuffleSplit` draws random unseen classes and, in addition, holds
  out a stratified share of the seen classes' samples, as generalised zero-shot
  learning (GZSL) evaluates on both.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings
from collections.abc import Iterator
from numbers import Integral, Real

import numpy as np
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils import check_random_state, indexable
from sklearn.utils._param_validation import Interval, validate_parameter_constraints
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import _num_samples, column_or_1d

from sklearn_zsl.model_selection._holdout import (
    assign_class_folds,
    draw_held_out_samples,
    hold_out_classes,
    min_classes_for_folds,
    n_held_out,
    share_held_out_samples,
)
from sklearn_zsl.utils._labels import check_labels

__all__ = ["GZSLShuffleSplit", "ZSLKFold"]


class _ClassDisjointSplitter(BaseCrossValidator):
    """Common validation of the splitters that split on the class labels ``y``."""

    _parameter_constraints: dict = {}

    def _check_params(self):
        params = {name: getattr(self, name) for name in self._parameter_constraints}
        for name in ("n_splits", "unseen_size", "seen_test_size"):
            # bool is an int subclass, which the interval constraints accept.
            if isinstance(params.get(name), (bool, np.bool_)):
                raise ValueError(
                    f"The {name!r} parameter of {type(self).__name__} must be an "
                    f"int or a float, got the boolean {params[name]!r}."
                )
        validate_parameter_constraints(
            self._parameter_constraints, params, caller_name=type(self).__name__
        )

    def _check_split_input(self, X, y, groups):
        """Validate the arguments of ``split``; return n_samples, y_ind, counts."""
        name = type(self).__name__
        if groups is not None:
            warnings.warn(
                f"The groups parameter is ignored by {name}: it splits on the "
                "class labels y. Leave groups=None.",
                UserWarning,
                stacklevel=3,
            )
        self._check_params()
        if y is None:
            raise ValueError(
                f"{name} splits on the class labels, but y is None; pass the "
                "labels as split(X, y)."
            )
        y = check_labels(y, name=f"y of {name}.split")
        X, y = indexable(X, y)
        try:
            target_type = type_of_target(y, input_name="y")
        except TypeError:
            raise ValueError(
                f"{name} could not sort the labels of y: they mix strings and "
                "numbers. Use one label type, e.g. convert them all to str."
            ) from None
        if target_type not in ("binary", "multiclass"):
            raise ValueError(
                f"{name} needs class labels in y (a binary or multiclass target), "
                f"got a {target_type!r} target. Pass one integer or string label "
                "per sample."
            )
        _, y_ind, counts = np.unique(
            column_or_1d(y), return_inverse=True, return_counts=True
        )
        return _num_samples(X), y_ind, counts

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """Return the number of splitting iterations of the cross-validator.

        Parameters
        ----------
        X : object, default=None
            Always ignored, exists for compatibility.
        y : object, default=None
            Always ignored, exists for compatibility.
        groups : object, default=None
            Always ignored, exists for compatibility.

        Returns
        -------
        n_splits : int
            The number of splitting iterations, ``n_splits``.
        """
        self._check_params()
        return self.n_splits


class ZSLKFold(_ClassDisjointSplitter):
    """K-fold cross-validator with class-disjoint folds for zero-shot learning.

    The classes of ``y`` are partitioned into ``n_splits`` disjoint groups, as
    :class:`~sklearn.model_selection.GroupKFold` would do with ``groups=y``. In
    each split one group is held out: its classes are *unseen* and all their
    samples form the test set, while the samples of the other classes form the
    training set. Across the splits every sample is tested exactly once.

    Each fold holds out ``n_classes // n_splits`` classes, or one more (the
    first ``n_classes % n_splits`` folds), and the folds are balanced in number
    of test samples greedily: the classes are taken by decreasing number of
    samples (``shuffle=False``) or in random order (``shuffle=True``), and each
    goes to the fold with the fewest test samples that still has room.

    Read more in the :ref:`User Guide <zsl_splitters>`.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds. Must be at least 2. ``y`` needs at least
        ``2 * n_splits`` classes, so that every fold holds out at least 2
        classes (zero-shot accuracy among a single class is 1.0 for any model,
        which would make the folds useless for model selection).
    shuffle : bool, default=False
        Whether to shuffle the classes before assigning them to folds. The
        samples within each fold are not shuffled.
    random_state : int, RandomState instance or None, default=None
        Controls the order of the classes when ``shuffle=True``; pass an int for
        reproducible output across multiple calls. Must be ``None`` when
        ``shuffle=False``.

    See Also
    --------
    GZSLShuffleSplit : Random unseen classes plus held-out seen samples (GZSL).
    sklearn.model_selection.GroupKFold : K-fold with non-overlapping groups.

    Notes
    -----
    Because the test classes never occur in the training set, an ordinary
    supervised classifier scores zero on these folds; they are meant for
    zero-shot classifiers, which predict classes from their semantics.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.model_selection import ZSLKFold
    >>> X = np.zeros((8, 2))
    >>> y = np.array(["cat", "cat", "dog", "dog", "dog", "fox", "owl", "owl"])
    >>> cv = ZSLKFold(n_splits=2)
    >>> cv.get_n_splits(X, y)
    2
    >>> print(cv)
    ZSLKFold(n_splits=2, random_state=None, shuffle=False)
    >>> for train, test in cv.split(X, y):
    ...     print("TRAIN:", train, "TEST:", test, "UNSEEN:", np.unique(y[test]))
    TRAIN: [0 1 6 7] TEST: [2 3 4 5] UNSEEN: ['dog' 'fox']
    TRAIN: [2 3 4 5] TEST: [0 1 6 7] UNSEEN: ['cat' 'owl']
    """

    _parameter_constraints: dict = {
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_splits: int = 5,
        *,
        shuffle: bool = False,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def _check_params(self):
        super()._check_params()
        if not self.shuffle and self.random_state is not None:
            raise ValueError(
                "Setting random_state has no effect since shuffle is False. Leave "
                "random_state=None, or set shuffle=True."
            )

    def split(self, X, y, groups=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Generate class-disjoint train and test indices.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data. Only its number of samples is used, so
            ``np.zeros(n_samples)`` may serve as a placeholder.
        y : array-like of shape (n_samples,)
            Class labels (integers or strings); the split is made on them.
        groups : object, default=None
            Always ignored, exists for compatibility. Passing anything but
            ``None`` triggers a :class:`UserWarning`.

        Yields
        ------
        train : ndarray of shape (n_train_samples,)
            Indices of the training samples: those of the seen classes.
        test : ndarray of shape (n_test_samples,)
            Indices of the test samples: all those of the fold's unseen classes.
        """
        n_samples, y_ind, counts = self._check_split_input(X, y, groups)
        fold_of_class = self._assign_classes_to_folds(counts)
        indices = np.arange(n_samples)
        for fold in range(self.n_splits):
            test_mask = fold_of_class[y_ind] == fold
            yield indices[~test_mask], indices[test_mask]

    def _assign_classes_to_folds(self, counts):
        """Return the fold index of every class, balancing the folds."""
        n_classes = counts.shape[0]
        min_classes = min_classes_for_folds(self.n_splits)
        if n_classes < min_classes:
            raise ValueError(
                f"ZSLKFold(n_splits={self.n_splits}) needs at least {min_classes} "
                f"classes in y, got {n_classes}: each fold must hold out at least "
                "2 classes (zero-shot accuracy among one class is 1.0 for any "
                "model). "
                + (
                    f"Use n_splits={n_classes // 2} or fewer, or add classes."
                    if n_classes >= 4
                    else "Add classes: 2 folds need 4."
                )
            )
        return assign_class_folds(
            counts,
            self.n_splits,
            shuffle=self.shuffle,
            random_state=self.random_state,
        )


class GZSLShuffleSplit(_ClassDisjointSplitter):
    """Random splits with unseen classes and held-out seen samples, for GZSL.

    Generalised zero-shot learning tests a classifier on samples of both seen
    and unseen classes. Each split of ``GZSLShuffleSplit``:

    1. draws ``unseen_size`` classes at random as *unseen*: all their samples go
       to the test set and none to the training set;
    2. holds out a stratified share ``seen_test_size`` of the samples of the
       remaining (seen) classes for the test set;
    3. puts every other sample in the training set.

    Like :class:`~sklearn.model_selection.ShuffleSplit`, the splits are drawn
    independently, so test sets may overlap between splits.

    The seen test samples are shared out among the seen classes in proportion
    to their sizes (largest-remainder rounding, ties broken at random) under
    two rules:

    - every seen class keeps at least one training sample;
    - every seen class with at least two samples gets at least one test sample,
      provided the number of seen test samples is at least the number of such
      classes (otherwise the proportional share decides which classes get one).

    Read more in the :ref:`User Guide <zsl_splitters>`.

    Parameters
    ----------
    n_splits : int, default=5
        Number of re-shuffling and splitting iterations.
    unseen_size : float or int, default=0.2
        If float, in (0, 1): the fraction of the classes of ``y`` held out as
        unseen, rounded up. If int: the number of unseen classes. At least 2
        classes must be held out (zero-shot accuracy among a single class is
        1.0 for any model) and at least 2 must remain seen.
    seen_test_size : float or int, default=0.2
        If float, in (0, 1): the fraction of the seen classes' samples put in
        the test set, rounded up. If int: their number. It must leave every
        seen class at least one training sample, whichever classes are drawn as
        unseen.
    random_state : int, RandomState instance or None, default=None
        Controls the randomness of the splits; pass an int for reproducible
        output across multiple calls.

    See Also
    --------
    ZSLKFold : Class-disjoint K-fold, every sample tested once (ZSL).
    sklearn.model_selection.StratifiedShuffleSplit : Stratified random splits.

    Notes
    -----
    Xian et al. (2018) proposed this protocol for GZSL benchmarks, keeping about
    20% of the seen classes' images for testing.

    References
    ----------
    .. [1] Y. Xian, C. H. Lampert, B. Schiele and Z. Akata, "Zero-Shot
       Learning - A Comprehensive Evaluation of the Good, the Bad and the
       Ugly", IEEE TPAMI, 2018. https://arxiv.org/abs/1707.00600

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.model_selection import GZSLShuffleSplit
    >>> X = np.zeros((15, 2))
    >>> y = np.repeat([0, 1, 2, 3, 4], 3)
    >>> cv = GZSLShuffleSplit(
    ...     n_splits=2, unseen_size=2, seen_test_size=3, random_state=0
    ... )
    >>> cv.get_n_splits(X, y)
    2
    >>> print(cv)
    GZSLShuffleSplit(n_splits=2, random_state=0, seen_test_size=3, unseen_size=2)
    >>> for train, test in cv.split(X, y):
    ...     unseen = np.setdiff1d(y[test], y[train])
    ...     print("TRAIN:", train, "TEST:", test, "UNSEEN:", unseen)
    TRAIN: [ 3  5 10 11 12 13] TEST: [ 0  1  2  4  6  7  8  9 14] UNSEEN: [0 2]
    TRAIN: [ 3  5  7  8  9 11] TEST: [ 0  1  2  4  6 10 12 13 14] UNSEEN: [0 4]
    """

    _parameter_constraints: dict = {
        "n_splits": [Interval(Integral, 1, None, closed="left")],
        "unseen_size": [
            Interval(Real, 0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "seen_test_size": [
            Interval(Real, 0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_splits: int = 5,
        *,
        unseen_size: float | int = 0.2,
        seen_test_size: float | int = 0.2,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.n_splits = n_splits
        self.unseen_size = unseen_size
        self.seen_test_size = seen_test_size
        self.random_state = random_state

    def split(self, X, y, groups=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Generate train and test indices with unseen classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data. Only its number of samples is used, so
            ``np.zeros(n_samples)`` may serve as a placeholder.
        y : array-like of shape (n_samples,)
            Class labels (integers or strings); the split is made on them.
        groups : object, default=None
            Always ignored, exists for compatibility. Passing anything but
            ``None`` triggers a :class:`UserWarning`.

        Yields
        ------
        train : ndarray of shape (n_train_samples,)
            Indices of the training samples, all of seen classes.
        test : ndarray of shape (n_test_samples,)
            Indices of the test samples: all those of the unseen classes and
            the held-out share of the seen classes' samples.
        """
        n_samples, y_ind, counts = self._check_split_input(X, y, groups)
        n_unseen = self._n_unseen_classes(counts.shape[0])
        self._check_seen_test_size(counts, n_unseen)
        rng = check_random_state(self.random_state)
        indices = np.arange(n_samples)
        for _ in range(self.n_splits):
            test_mask = self._draw_test_mask(y_ind, counts, n_unseen, rng)
            yield indices[~test_mask], indices[test_mask]

    def _n_unseen_classes(self, n_classes):
        n_unseen = n_held_out(self.unseen_size, n_classes)
        if n_unseen < 2:
            raise ValueError(
                f"unseen_size={self.unseen_size!r} holds out {n_unseen} of the "
                f"{n_classes} classes of y; each split needs at least 2 unseen "
                "classes (zero-shot accuracy among one class is 1.0 for any "
                "model). Raise unseen_size, e.g. unseen_size=2."
            )
        if n_classes - n_unseen < 2:
            raise ValueError(
                f"unseen_size={self.unseen_size!r} holds out {n_unseen} of the "
                f"{n_classes} classes of y, leaving {n_classes - n_unseen} seen "
                "class(es); every training set needs at least 2 seen classes. "
                "Lower unseen_size or add classes."
            )
        return n_unseen

    def _check_seen_test_size(self, counts, n_unseen):
        """Check that seen_test_size fits even if the largest classes are unseen."""
        n_seen_classes = counts.shape[0] - n_unseen
        n_seen_samples = np.sort(counts)[:n_seen_classes].sum()
        n_test = n_held_out(self.seen_test_size, n_seen_samples)
        max_test = n_seen_samples - n_seen_classes
        if n_test > max_test:
            raise ValueError(
                f"seen_test_size={self.seen_test_size!r} would leave a seen class "
                "without training samples: when the largest classes are drawn as "
                f"unseen, the {n_seen_classes} seen classes have {n_seen_samples} "
                f"samples and {n_test} would go to the test set, but each seen "
                f"class must keep one training sample (at most {max_test} test "
                "samples). Lower seen_test_size or unseen_size."
            )

    def _draw_test_mask(self, y_ind, counts, n_unseen, rng):
        is_unseen = np.zeros(counts.shape[0], dtype=bool)
        is_unseen[hold_out_classes(counts.shape[0], n_unseen, random_state=rng)] = True
        seen_counts = np.where(is_unseen, 0, counts)
        n_test = n_held_out(self.seen_test_size, seen_counts.sum())
        n_test_per_class = share_held_out_samples(seen_counts, n_test, rng)
        return is_unseen[y_ind] | draw_held_out_samples(y_ind, n_test_per_class, rng)
