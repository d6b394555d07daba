"""The one class-aware holding-out mechanism of :mod:`sklearn_zsl`.

Every internal split that holds out part of each class (the validation samples
of early stopping, the test-seen share of a data set, the seen-class part of a
generalised-ZSL fold) or whole classes (unseen classes, class-disjoint
validation folds) goes through these functions, so that all of them round
alike:

1. **A size is a count or a share.** An int is a number of items; a float in
   [0, 1) is a share of them, rounded up as scikit-learn rounds ``test_size``
   (floating-point noise aside: 0.1 of 30 items is 3, not 4).
2. **Held-out samples are shared among the classes by largest remainder.**
   Each class is owed its proportional quota of the held-out total; it first
   gets the quota rounded down, and the samples left go, one each, to the
   classes with the largest remainders, ties broken at random. So every class
   holds out its quota rounded down or up, unless rule 3 moves it.
3. **Every class keeps a sample and, when possible, gives one.** No class
   holds out all its samples (a class of one sample holds out none: its quota
   goes to the others), and when the total allows one per class, every class
   with two samples or more holds out at least one.
4. **Whole classes are drawn uniformly**, as many as the size asks but
   always leaving ``n_kept`` of them.
5. **Class folds are balanced**: ``k`` folds hold out ``n_classes // k``
   classes each, or one more, and the classes go to the folds with the fewest
   samples so far, so that the folds are balanced in samples too.

Which samples of a class are held out is drawn uniformly at random.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import math
from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils import check_random_state

__all__ = [
    "assign_class_folds",
    "draw_held_out_samples",
    "hold_out_classes",
    "hold_out_samples",
    "min_classes_for_folds",
    "n_held_out",
    "share_held_out_samples",
]


def n_held_out(size: float | int, n_items: int) -> int:
    """Number of items a size holds out of ``n_items``.

    Parameters
    ----------
    size : float or int
        A number of items (int), or a share of them (float in [0, 1)),
        rounded up.
    n_items : int
        Number of items the share is taken of.

    Returns
    -------
    n_held : int
        ``size`` itself if it is an int, else ``ceil(size * n_items)``,
        ignoring floating-point noise such as 3.0000000000000004.

    Examples
    --------
    >>> from sklearn_zsl.model_selection._holdout import n_held_out
    >>> n_held_out(0.1, 30), n_held_out(0.1, 31), n_held_out(4, 31)
    (3, 4, 4)
    """
    if isinstance(size, Integral):
        return int(size)
    return math.ceil(round(size * n_items, 9))


def share_held_out_samples(
    counts: ArrayLike, n_held: int, random_state=None
) -> np.ndarray:
    """Share ``n_held`` held-out samples among classes by largest remainder.

    Parameters
    ----------
    counts : array-like of int of shape (n_classes,)
        Number of samples of each class; a class of zero samples (e.g. an
        unseen class) takes no part.
    n_held : int
        Total number of samples to hold out, at most
        ``sum(max(counts - 1, 0))`` so that every class keeps one.
    random_state : int, RandomState instance or None, default=None
        Breaks ties between equal remainders.

    Returns
    -------
    n_held_per_class : ndarray of int of shape (n_classes,)
        Samples each class holds out: its quota ``n_held * count / sum(counts)``
        rounded down or up by largest remainder; at most ``count - 1``; at
        least 1 for every class of two samples or more when ``n_held`` reaches
        their number.

    Examples
    --------
    >>> from sklearn_zsl.model_selection._holdout import share_held_out_samples
    >>> # quotas 2.5, 1.5 and 1.0: the tie of remainders is broken at random
    >>> share_held_out_samples([10, 6, 4], 5, random_state=0).tolist()
    [3, 1, 1]
    """
    rng = check_random_state(random_state)
    counts = np.asarray(counts, dtype=np.int64)
    upper = np.maximum(counts - 1, 0)
    assert 0 <= n_held <= upper.sum(), (
        f"cannot hold out {n_held} samples and keep one of each class: at most "
        f"{upper.sum()}"
    )
    lower = (counts >= 2).astype(np.int64)
    if n_held < lower.sum():
        lower[:] = 0
    quota = n_held * counts / max(counts.sum(), 1)
    n_held_per_class = np.clip(np.floor(quota).astype(np.int64), lower, upper)
    tie_breaker = rng.random_sample(counts.shape[0])
    while (missing := n_held - n_held_per_class.sum()) != 0:
        remainder = quota - n_held_per_class
        if missing > 0:
            # one more sample to each class furthest below its quota
            candidates = np.flatnonzero(n_held_per_class < upper)
            key = -remainder[candidates]
        else:
            # one fewer to each class furthest above its quota
            candidates = np.flatnonzero(n_held_per_class > lower)
            key = remainder[candidates]
        chosen = candidates[np.lexsort((tie_breaker[candidates], key))]
        n_held_per_class[chosen[: abs(missing)]] += np.sign(missing)
    return n_held_per_class


def draw_held_out_samples(
    y_ind: np.ndarray, n_held_per_class: np.ndarray, random_state=None
) -> np.ndarray:
    """Draw which samples of each class are held out, uniformly.

    Parameters
    ----------
    y_ind : ndarray of int of shape (n_samples,)
        Class index of each sample, in ``range(n_classes)``.
    n_held_per_class : ndarray of int of shape (n_classes,)
        Samples each class holds out.
    random_state : int, RandomState instance or None, default=None
        Draws the samples.

    Returns
    -------
    held_out : ndarray of bool of shape (n_samples,)
        Whether each sample is held out.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.model_selection._holdout import draw_held_out_samples
    >>> held_out = draw_held_out_samples(np.array([0, 0, 1, 1, 1]), np.array([1, 2]))
    >>> np.bincount([0, 0, 1, 1, 1], weights=held_out).tolist()
    [1.0, 2.0]
    """
    rng = check_random_state(random_state)
    counts = np.bincount(y_ind, minlength=n_held_per_class.shape[0])
    # rank the samples of each class in a random order; the first ones of
    # each class are held out
    order = np.lexsort((rng.random_sample(y_ind.shape[0]), y_ind))
    class_start = np.cumsum(counts) - counts
    rank = np.empty_like(y_ind)
    rank[order] = np.arange(y_ind.shape[0]) - np.repeat(class_start, counts)
    return rank < n_held_per_class[y_ind]


def hold_out_samples(y: ArrayLike, size: float | int, random_state=None) -> np.ndarray:
    """Hold out a class-stratified share of the samples.

    The number of samples follows :func:`n_held_out` of all the samples
    (capped so that every class keeps one), is shared among the classes by
    :func:`share_held_out_samples` and drawn by
    :func:`draw_held_out_samples`.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    size : float or int
        Share (float in [0, 1)) or number (int) of samples to hold out.
    random_state : int, RandomState instance or None, default=None
        Breaks ties of the rounding and draws the samples.

    Returns
    -------
    held_out : ndarray of bool of shape (n_samples,)
        Whether each sample is held out.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.model_selection._holdout import hold_out_samples
    >>> y = np.repeat(["a", "b", "c"], [10, 20, 1])
    >>> held_out = hold_out_samples(y, 0.1, random_state=0)  # ceil(3.1) samples
    >>> np.unique(y[held_out], return_counts=True)  # c keeps its one sample
    (array(['a', 'b'], dtype='<U1'), array([1, 3]))
    """
    rng = check_random_state(random_state)
    _, y_ind, counts = np.unique(np.asarray(y), return_inverse=True, return_counts=True)
    y_ind = y_ind.reshape(-1)
    n_held = min(n_held_out(size, y_ind.shape[0]), int(np.sum(counts - 1)))
    n_held_per_class = share_held_out_samples(counts, n_held, rng)
    return draw_held_out_samples(y_ind, n_held_per_class, rng)


def hold_out_classes(
    n_classes: int, size: float | int, *, n_kept: int = 1, random_state=None
) -> np.ndarray:
    """Draw classes to hold out, uniformly, keeping at least ``n_kept``.

    Parameters
    ----------
    n_classes : int
        Number of classes to draw from.
    size : float or int
        Share (float in [0, 1)) or number (int) of classes to hold out,
        lowered if needed to leave ``n_kept`` classes.
    n_kept : int, default=1
        Classes that must remain.
    random_state : int, RandomState instance or None, default=None
        Draws the classes.

    Returns
    -------
    held_out : ndarray of int
        Sorted indices of the held-out classes, in ``range(n_classes)``;
        empty, without drawing, when none can be held out.

    Examples
    --------
    >>> from sklearn_zsl.model_selection._holdout import hold_out_classes
    >>> hold_out_classes(10, 0.25, random_state=0)  # ceil(2.5) of 10
    array([2, 4, 8])
    >>> hold_out_classes(3, 0.5, n_kept=2, random_state=0)  # 2 lowered to 1
    array([2])
    """
    n_held = min(n_held_out(size, n_classes), n_classes - n_kept)
    if n_held < 1:
        return np.empty(0, dtype=np.intp)
    rng = check_random_state(random_state)
    return np.sort(rng.permutation(n_classes)[:n_held])


def min_classes_for_folds(n_folds: int) -> int | None:
    """Fewest classes that ``n_folds`` class-disjoint folds need.

    Each fold holds out at least two classes (zero-shot accuracy among a
    single class is 1.0 for any model) and each training set keeps at least
    two.

    Parameters
    ----------
    n_folds : int
        Number of folds.

    Returns
    -------
    n_classes : int or None
        The fewest classes, ``2 * n_folds``; ``None`` for one fold, which
        would hold out every class.

    Examples
    --------
    >>> from sklearn_zsl.model_selection._holdout import min_classes_for_folds
    >>> min_classes_for_folds(2), min_classes_for_folds(5), min_classes_for_folds(1)
    (4, 10, None)
    """
    if n_folds < 2:
        return None
    return 2 * n_folds


def assign_class_folds(
    counts: ArrayLike, n_folds: int, *, shuffle: bool = False, random_state=None
) -> np.ndarray:
    """Partition the classes into ``n_folds`` folds of balanced sizes.

    Each fold holds out ``n_classes // n_folds`` classes, or one more (the
    first ``n_classes % n_folds`` folds). The classes are taken by decreasing
    number of samples (``shuffle=False``) or in a random order
    (``shuffle=True``), and each goes to the fold with the fewest samples that
    still has room, so that the folds are balanced in samples too.

    Parameters
    ----------
    counts : array-like of int of shape (n_classes,)
        Number of samples of each class; at least
        :func:`min_classes_for_folds` classes.
    n_folds : int
        Number of folds, at least 2.
    shuffle : bool, default=False
        Whether to take the classes in a random order.
    random_state : int, RandomState instance or None, default=None
        Draws the order when ``shuffle=True``.

    Returns
    -------
    fold_of_class : ndarray of int of shape (n_classes,)
        The fold that holds out each class.

    Examples
    --------
    >>> from sklearn_zsl.model_selection._holdout import assign_class_folds
    >>> assign_class_folds([2, 3, 1, 2], 2).tolist()
    [1, 0, 0, 1]
    """
    counts = np.asarray(counts)
    n_classes = counts.shape[0]
    min_classes = min_classes_for_folds(n_folds)
    assert min_classes is not None and n_classes >= min_classes, (
        f"{n_folds} class-disjoint folds need at least {min_classes} classes, "
        f"got {n_classes}"
    )
    room = np.full(n_folds, n_classes // n_folds)
    room[: n_classes % n_folds] += 1
    if shuffle:
        order = check_random_state(random_state).permutation(n_classes)
    else:
        order = np.argsort(-counts, kind="stable")
    n_held_samples = np.zeros(n_folds, dtype=np.int64)
    fold_of_class = np.empty(n_classes, dtype=np.int64)
    for class_ind in order:
        open_folds = np.flatnonzero(room > 0)
        fold = open_folds[np.argmin(n_held_samples[open_folds])]
        fold_of_class[class_ind] = fold
        n_held_samples[fold] += counts[class_ind]
        room[fold] -= 1
    return fold_of_class
