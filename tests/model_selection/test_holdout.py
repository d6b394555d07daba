"""Tests of the one class-aware holding-out mechanism (model_selection._holdout)."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from sklearn_zsl.model_selection._holdout import (
    assign_class_folds,
    draw_held_out_samples,
    hold_out_classes,
    hold_out_samples,
    min_classes_for_folds,
    n_held_out,
    share_held_out_samples,
)


@pytest.mark.parametrize(
    "size, n_items, expected",
    [
        (0.1, 30, 3),  # 3.0000000000000004 is noise, not a fourth item
        (0.1, 31, 4),  # 3.1 rounds up
        (0.2, 64, 13),  # 12.8
        (0.0, 50, 0),
        (7, 50, 7),  # an int is a count
        (np.int64(2), 50, 2),
    ],
)
def test_n_held_out_rounds_shares_up(size, n_items, expected):
    """Check that a share is rounded up and a count taken as it is."""
    assert n_held_out(size, n_items) == expected


@pytest.mark.parametrize(
    "counts, n_held, expected",
    [
        # quotas 0.97, 1.94, 0.10: floors 0, 1, 0; three samples reach the two
        # classes that can spare one, so a gives one; the third to b (0.94)
        ([10, 20, 1], 3, [1, 2, 0]),
        # quotas 2.8, 2.0, 1.2: floors 2, 2, 1, the sixth to the largest
        # remainder (0.8)
        ([7, 5, 3], 6, [3, 2, 1]),
        # quotas 2.78, 0.11, 0.11: three samples reach the three classes, so
        # each gives one, and the big class gives up its second
        ([50, 2, 2], 3, [1, 1, 1]),
        # two samples cannot reach three classes: proportional shares only
        ([50, 2, 2], 2, [2, 0, 0]),
        # single-sample classes give none: their quotas (0.15 each) go to
        # the largest remainder
        ([1, 1, 1, 10], 2, [0, 0, 0, 2]),
        # classes without samples (e.g. unseen) take no part
        ([0, 10, 0, 10], 4, [0, 2, 0, 2]),
        # every class keeps one sample
        ([2, 3, 4], 6, [1, 2, 3]),
        ([5, 5], 0, [0, 0]),
    ],
)
def test_share_held_out_samples_exact_counts(counts, n_held, expected):
    """Check hand-computed largest-remainder shares, bounds included."""
    for seed in range(3):  # no tie here: the same shares for every seed
        n_per_class = share_held_out_samples(counts, n_held, random_state=seed)
        assert n_per_class.tolist() == expected


def test_share_held_out_samples_breaks_ties_at_random():
    """Check that equal remainders are broken by the random state, reproducibly."""
    draws = {
        seed: tuple(share_held_out_samples([4, 4, 4, 4], 2, seed)) for seed in range(20)
    }
    assert all(sorted(d) == [0, 0, 1, 1] for d in draws.values())
    assert len(set(draws.values())) > 1
    assert draws[3] == tuple(share_held_out_samples([4, 4, 4, 4], 2, 3))


def test_share_held_out_samples_refuses_to_empty_a_class():
    """Check that more samples than the classes can spare is a programming error."""
    with pytest.raises(AssertionError, match="keep one of each class"):
        share_held_out_samples([2, 3], 4)


@given(
    counts=st.lists(st.integers(0, 40), min_size=1, max_size=12),
    size=st.floats(0.0, 0.95),
    seed=st.integers(0, 2**31 - 1),
)
def test_hold_out_samples_follows_the_rounding_rule(counts, size, seed):
    """Check the documented rule on random class sizes and shares.

    The total is the share of all samples, rounded up and capped so that every
    class keeps a sample; each class holds out its quota rounded down or up,
    unless a bound (keep one, give one) moved the shares.
    """
    y = np.repeat(np.arange(len(counts)), counts)
    if y.size == 0:
        return
    held_out = hold_out_samples(y, size, random_state=seed)
    counts = np.asarray(counts)
    counts = counts[counts > 0]
    n_per_class = np.bincount(np.unique(y, return_inverse=True)[1][held_out])
    n_per_class = np.pad(n_per_class, (0, counts.size - n_per_class.size))
    upper = counts - 1
    assert np.all(n_per_class <= upper)
    n_held = min(math.ceil(round(size * counts.sum(), 9)), int(upper.sum()))
    assert n_per_class.sum() == n_held
    can_spare = counts >= 2
    lower = can_spare.astype(int) if n_held >= can_spare.sum() else 0 * counts
    assert np.all(n_per_class >= lower)
    quota = n_held * counts / counts.sum()
    bound = (np.floor(quota) < lower) | (np.ceil(quota) > upper)
    if not bound.any():
        assert np.all(n_per_class >= np.floor(quota))
        assert np.all(n_per_class <= np.ceil(quota))


def test_hold_out_samples_exact_and_deterministic():
    """Check the counts of a hand-computed case and the role of random_state."""
    y = np.repeat(["a", "b", "c"], [10, 20, 1])
    # ceil(3.1) = 4 samples; quotas 1.29, 2.58, 0.13: floors 1, 2, 0, the
    # fourth to the largest remainder (b); c keeps its only sample
    first = hold_out_samples(y, 0.1, random_state=0)
    labels, n_held = np.unique(y[first], return_counts=True)
    assert_array_equal(labels, ["a", "b"])
    assert_array_equal(n_held, [1, 3])
    assert_array_equal(hold_out_samples(y, 0.1, random_state=0), first)
    others = [hold_out_samples(y, 0.1, random_state=s) for s in range(1, 6)]
    assert any(not np.array_equal(other, first) for other in others)
    assert not hold_out_samples(y, 0.0, random_state=0).any()


def test_hold_out_samples_counts_and_caps():
    """Check an int size, and a share too large for small classes."""
    y = np.repeat([0, 1, 2], [5, 5, 2])
    held_out = hold_out_samples(y, 4, random_state=0)
    assert held_out.sum() == 4
    # 0.9 of 12 would empty the classes; each keeps exactly one instead
    held_out = hold_out_samples(y, 0.9, random_state=0)
    assert np.bincount(y[~held_out]).tolist() == [1, 1, 1]


def test_draw_held_out_samples_is_uniform_within_each_class():
    """Check that every sample of a class is as likely to be held out."""
    y_ind = np.repeat([0, 1], [4, 6])
    rng = np.random.RandomState(0)
    frequency = np.mean(
        [draw_held_out_samples(y_ind, np.array([1, 3]), rng) for _ in range(2000)],
        axis=0,
    )
    np.testing.assert_allclose(frequency, np.repeat([1 / 4, 3 / 6], [4, 6]), atol=0.05)


@pytest.mark.parametrize(
    "n_classes, size, n_kept, expected_size",
    [
        (10, 0.25, 1, 3),  # ceil(2.5)
        (10, 0.2, 1, 2),
        (10, 3, 1, 3),
        (3, 0.5, 2, 1),  # ceil(1.5) = 2 lowered to leave 2 classes
        (2, 0.5, 2, 0),  # none can be held out
        (10, 9, 0, 9),
    ],
)
def test_hold_out_classes_counts(n_classes, size, n_kept, expected_size):
    """Check how many classes are held out and that they are valid indices."""
    held_out = hold_out_classes(n_classes, size, n_kept=n_kept, random_state=0)
    assert held_out.size == expected_size
    assert np.unique(held_out).size == held_out.size
    assert np.all((held_out >= 0) & (held_out < n_classes))
    assert_array_equal(held_out, np.sort(held_out))


def test_hold_out_classes_is_deterministic_and_draws_nothing_when_empty():
    """Check random_state, and that an empty draw leaves the generator alone."""
    assert_array_equal(
        hold_out_classes(20, 0.3, random_state=1),
        hold_out_classes(20, 0.3, random_state=1),
    )
    draws = {tuple(hold_out_classes(20, 0.3, random_state=s)) for s in range(5)}
    assert len(draws) > 1
    rng = np.random.RandomState(0)
    hold_out_classes(2, 0.5, n_kept=2, random_state=rng)
    assert rng.randint(10**9) == np.random.RandomState(0).randint(10**9)
    # the same stream as rng.choice(n_classes, n, replace=False)
    expected = np.sort(np.random.RandomState(4).choice(12, 3, replace=False))
    assert_array_equal(hold_out_classes(12, 3, random_state=4), expected)


@pytest.mark.parametrize("n_folds, expected", [(1, None), (2, 4), (3, 6), (7, 14)])
def test_min_classes_for_folds(n_folds, expected):
    """Check that each fold holds out two classes and each training set keeps two."""
    assert min_classes_for_folds(n_folds) == expected
    if expected is not None:
        fold_of_class = assign_class_folds(np.ones(expected, int), n_folds)
        n_held = np.bincount(fold_of_class, minlength=n_folds)
        assert n_held.min() >= 2 and expected - n_held.max() >= 2


def test_assign_class_folds_exact_and_balanced():
    """Check a hand-computed partition, and balanced sizes with shuffling."""
    # by decreasing size: 3 -> fold 0, 2 -> fold 1, 2 -> fold 1, 1 -> fold 0
    assert assign_class_folds([2, 3, 1, 2], 2).tolist() == [1, 0, 0, 1]
    counts = np.random.RandomState(0).randint(1, 30, size=11)
    for seed in range(5):
        fold_of_class = assign_class_folds(counts, 3, shuffle=True, random_state=seed)
        assert sorted(np.bincount(fold_of_class).tolist()) == [3, 4, 4]
    same = [assign_class_folds(counts, 3, shuffle=True, random_state=7) for _ in "ab"]
    assert_array_equal(*same)


def test_held_out_classes_and_folds_are_class_disjoint():
    """Check that held-out classes and every fold's classes leave the rest intact."""
    y = np.repeat(np.arange(9), np.arange(9) + 2)
    held_out = hold_out_classes(9, 0.3, n_kept=2, random_state=0)
    assert not np.intersect1d(y[np.isin(y, held_out)], y[~np.isin(y, held_out)]).size
    fold_of_class = assign_class_folds(np.bincount(y), 3, shuffle=True, random_state=0)
    for fold in range(3):
        test = fold_of_class[y] == fold
        assert not np.intersect1d(y[test], y[~test]).size
        assert np.unique(y[~test]).size >= 2
