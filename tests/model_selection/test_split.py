"""Tests of the class-disjoint splitters of :mod:`sklearn_zsl.model_selection`."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
import pytest
import sklearn
from hypothesis import event, given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neighbors import NearestCentroid

from sklearn_zsl.model_selection import GZSLShuffleSplit, ZSLKFold

# Classes a to f of sizes 5, 1, 1, 3, 2, 2, interleaved so folds are not contiguous.
Y_SMALL = np.array(
    ["a", "d", "a", "b", "e", "a", "c", "f", "d", "a", "e", "d", "f", "a"]
)


@st.composite
def class_labels(draw):
    """Labels of 4 to 30 classes of 1 to 10 samples, shuffled, int or str."""
    n_classes = draw(st.integers(4, 30))
    counts = draw(st.lists(st.integers(1, 10), min_size=n_classes, max_size=n_classes))
    seed = draw(st.integers(0, 2**16))
    y = np.random.RandomState(seed).permutation(np.repeat(np.arange(n_classes), counts))
    if draw(st.booleans()):
        y = np.array([f"class_{label:02d}" for label in y])
    return y


def _check_partition(train, test, n_samples):
    """Train and test are sorted int index arrays that never overlap."""
    assert train.dtype.kind == "i" and test.dtype.kind == "i"
    assert_array_equal(train, np.sort(train))
    assert_array_equal(test, np.sort(test))
    assert np.intersect1d(train, test).size == 0
    assert_array_equal(np.union1d(train, test), np.arange(n_samples))


def test_zsl_kfold_exact_folds():
    """Check the class partition and indices on a small hand-made y.

    Classes by decreasing size: a (5), d (3), e (2), f (2), b (1), c (1). Each of
    the 3 folds holds 2 classes; each class goes to the fold with the fewest test
    samples that has room: a->0, d->1, e->2, f->2, b->1, c->0.
    """
    y = Y_SMALL
    X = np.zeros((y.shape[0], 1))
    folds = list(ZSLKFold(n_splits=3).split(X, y))
    assert [sorted(set(y[test])) for _, test in folds] == [
        ["a", "c"],
        ["b", "d"],
        ["e", "f"],
    ]
    expected_tests = [[0, 2, 5, 6, 9, 13], [1, 3, 8, 11], [4, 7, 10, 12]]
    for (train, test), expected in zip(folds, expected_tests, strict=True):
        assert_array_equal(test, expected)
        assert_array_equal(train, np.setdiff1d(np.arange(y.shape[0]), expected))


def test_zsl_kfold_int_and_str_labels_give_the_same_folds():
    """Check that the folds depend on the classes, not on the label type."""
    classes, y_int = np.unique(Y_SMALL, return_inverse=True)
    X = np.zeros((y_int.shape[0], 2))
    for cv in [ZSLKFold(3), ZSLKFold(2, shuffle=True, random_state=0)]:
        for (train_s, test_s), (train_i, test_i) in zip(
            cv.split(X, Y_SMALL), cv.split(X, y_int), strict=True
        ):
            assert_array_equal(train_s, train_i)
            assert_array_equal(test_s, test_i)


@given(y=class_labels(), data=st.data())
def test_zsl_kfold_properties(y, data):
    """Check that the folds are class-disjoint and test every sample once."""
    n_classes = np.unique(y).shape[0]
    n_splits = data.draw(st.integers(2, min(n_classes // 2, 6)), label="n_splits")
    shuffle = data.draw(st.booleans(), label="shuffle")
    cv = ZSLKFold(n_splits, shuffle=shuffle, random_state=0 if shuffle else None)
    X = np.zeros((y.shape[0], 3))
    folds = list(cv.split(X, y))

    assert len(folds) == cv.get_n_splits(X, y) == n_splits
    for train, test in folds:
        _check_partition(train, test, y.shape[0])
        assert np.intersect1d(y[train], y[test]).size == 0
        assert np.unique(y[train]).shape[0] >= 2
        assert np.unique(y[test]).shape[0] >= 2
    all_tests = np.concatenate([test for _, test in folds])
    assert_array_equal(np.sort(all_tests), np.arange(y.shape[0]))
    n_classes_per_fold = [np.unique(y[test]).shape[0] for _, test in folds]
    assert max(n_classes_per_fold) - min(n_classes_per_fold) <= 1


def _expected_n_unseen(unseen_size, n_classes):
    if isinstance(unseen_size, int):
        return unseen_size
    return math.ceil(unseen_size * n_classes - 1e-9)


def _expected_n_seen_test(seen_test_size, n_seen_samples):
    if isinstance(seen_test_size, int):
        return seen_test_size
    return math.ceil(seen_test_size * n_seen_samples - 1e-9)


@given(
    y=class_labels(),
    unseen_size=st.one_of(st.floats(0.05, 0.6), st.integers(1, 4)),
    seen_test_size=st.one_of(st.floats(0.05, 0.6), st.integers(1, 12)),
)
def test_gzsl_shuffle_split_properties(y, unseen_size, seen_test_size):
    """Check unseen classes, the seen test share, or the error on bad sizes."""
    X = np.zeros((y.shape[0], 3))
    classes, counts = np.unique(y, return_counts=True)
    n_classes = classes.shape[0]
    n_unseen = _expected_n_unseen(unseen_size, n_classes)
    cv = GZSLShuffleSplit(
        n_splits=3,
        unseen_size=unseen_size,
        seen_test_size=seen_test_size,
        random_state=0,
    )
    if n_unseen < 2:
        event("too few unseen classes")
        with pytest.raises(ValueError, match="at least 2 unseen classes"):
            list(cv.split(X, y))
        return
    if n_classes - n_unseen < 2:
        event("too few seen classes")
        with pytest.raises(ValueError, match="at least 2 seen classes"):
            list(cv.split(X, y))
        return
    # The largest classes drawn as unseen leave the fewest seen samples.
    seen_counts = np.sort(counts)[::-1][n_unseen:]
    if _expected_n_seen_test(seen_test_size, seen_counts.sum()) > (
        seen_counts.sum() - seen_counts.shape[0]
    ):
        event("seen test share too large")
        with pytest.raises(ValueError, match="without training samples"):
            list(cv.split(X, y))
        return

    event("valid sizes")
    folds = list(cv.split(X, y))
    assert len(folds) == cv.get_n_splits() == 3
    for train, test in folds:
        _check_partition(train, test, y.shape[0])
        unseen = np.setdiff1d(y[test], y[train])
        assert unseen.shape[0] == n_unseen
        assert np.isin(y, unseen).sum() == np.isin(y[test], unseen).sum()
        seen = np.setdiff1d(classes, unseen)
        assert_array_equal(np.unique(y[train]), seen)

        seen_test = y[test][~np.isin(y[test], unseen)]
        n_seen_samples = np.isin(y, seen).sum()
        n_test = _expected_n_seen_test(seen_test_size, n_seen_samples)
        assert seen_test.shape[0] == n_test
        n_eligible = sum(np.sum(y == label) >= 2 for label in seen)
        for label in seen:
            n_label, n_label_test = np.sum(y == label), np.sum(seen_test == label)
            assert n_label_test <= n_label - 1
            if n_test >= n_eligible and n_label >= 2:
                assert n_label_test >= 1


def test_gzsl_shuffle_split_stratifies_the_seen_share():
    """Check that each seen class gives its proportional share of test samples."""
    y = np.repeat([0, 1, 2, 3, 4, 5], [10, 10, 20, 20, 30, 40])
    X = np.zeros((y.shape[0], 1))
    cv = GZSLShuffleSplit(n_splits=4, unseen_size=2, seen_test_size=0.1)
    for train, test in cv.split(X, y):
        unseen = np.setdiff1d(y[test], y[train])
        for label in np.setdiff1d(y, unseen):
            n_label_test = np.sum(y[test] == label)
            assert n_label_test == np.sum(y == label) // 10


def test_gzsl_shuffle_split_one_test_sample_per_seen_class_when_possible():
    """Check the minimum of one seen test sample per class of two or more samples.

    With 3 seen test samples, the rule applies when at most 3 seen classes have two
    or more samples (two of classes 0 to 4 unseen); otherwise (class 5 or 6
    unseen) the share is proportional and the large classes 3 and 4 take all 3.
    """
    y = np.repeat([0, 1, 2, 3, 4, 5, 6], [2, 2, 2, 30, 30, 1, 1])
    X = np.zeros((y.shape[0], 1))
    cv = GZSLShuffleSplit(40, unseen_size=2, seen_test_size=3, random_state=0)
    n_proportional = 0
    for train, test in cv.split(X, y):
        unseen = np.setdiff1d(y[test], y[train])
        seen_test = y[test][~np.isin(y[test], unseen)]
        assert seen_test.shape[0] == 3
        multi = {0, 1, 2, 3, 4} - set(unseen)
        if len(multi) <= 3:
            assert set(seen_test) == multi
        else:
            assert set(seen_test) <= {3, 4}
            n_proportional += 1
    assert 0 < n_proportional < 40, "both cases must be exercised"


def test_gzsl_shuffle_split_deterministic_and_varied():
    """Check int random_state reproducibility and that the splits differ."""
    y = np.repeat(np.arange(10), 5)
    X = np.zeros((y.shape[0], 1))
    first = list(GZSLShuffleSplit(n_splits=4, random_state=7).split(X, y))
    again = list(GZSLShuffleSplit(n_splits=4, random_state=7).split(X, y))
    other = list(GZSLShuffleSplit(n_splits=4, random_state=8).split(X, y))
    for (train_a, test_a), (train_b, test_b) in zip(first, again, strict=True):
        assert_array_equal(train_a, train_b)
        assert_array_equal(test_a, test_b)
    tests = {tuple(test) for _, test in first}
    assert len(tests) == 4, "each iteration must draw a new split"
    assert any(
        not np.array_equal(test_a, test_b)
        for (_, test_a), (_, test_b) in zip(first, other, strict=True)
    )


def test_zsl_kfold_shuffle_deterministic_and_varied():
    """Check that shuffle=True is reproducible and depends on random_state."""
    y = np.repeat(np.arange(12), 3)
    X = np.zeros((y.shape[0], 1))

    def partition(cv):
        return [tuple(np.unique(y[test])) for _, test in cv.split(X, y)]

    assert partition(ZSLKFold(3, shuffle=True, random_state=0)) == partition(
        ZSLKFold(3, shuffle=True, random_state=0)
    )
    assert partition(ZSLKFold(3, shuffle=True, random_state=0)) != partition(
        ZSLKFold(3, shuffle=True, random_state=1)
    )
    assert partition(ZSLKFold(3)) != partition(
        ZSLKFold(3, shuffle=True, random_state=0)
    )


@pytest.mark.parametrize(
    "cv, expected",
    [
        (ZSLKFold(), "ZSLKFold(n_splits=5, random_state=None, shuffle=False)"),
        (
            GZSLShuffleSplit(3, unseen_size=2, random_state=0),
            "GZSLShuffleSplit(n_splits=3, random_state=0, seen_test_size=0.2,"
            " unseen_size=2)",
        ),
    ],
)
def test_repr(cv, expected):
    """Check the repr lists the parameters by name."""
    assert " ".join(repr(cv).split()) == expected


@pytest.mark.parametrize(
    "cv", [ZSLKFold(2), GZSLShuffleSplit(2, unseen_size=2, seen_test_size=2)]
)
def test_groups_are_ignored_with_a_warning(cv):
    """Check that passing groups warns and does not change the split."""
    y = np.repeat(np.arange(5), 3)
    X = np.zeros((y.shape[0], 1))
    err_msg = "groups parameter is ignored by .*: it splits on the class labels y"
    with pytest.warns(UserWarning, match=err_msg):
        folds = list(cv.split(X, y, groups=np.arange(y.shape[0])))
    assert len(folds) == 2


@pytest.mark.parametrize(
    "cv, err_msg",
    [
        (ZSLKFold(1), "'n_splits' parameter of ZSLKFold must be an int in the range"),
        (ZSLKFold(3.0), "'n_splits' parameter of ZSLKFold must be an int"),
        (ZSLKFold("3"), "'n_splits' parameter of ZSLKFold must be an int"),
        (ZSLKFold(True), "'n_splits' parameter of ZSLKFold must be an int or a"),
        (ZSLKFold(shuffle="yes"), "'shuffle' parameter of ZSLKFold must be"),
        (ZSLKFold(random_state=0), "Leave random_state=None, or set shuffle=True"),
        (
            ZSLKFold(shuffle=True, random_state="seed"),
            "'random_state' parameter of ZSLKFold must be",
        ),
        (GZSLShuffleSplit(0), "'n_splits' parameter of GZSLShuffleSplit must be"),
        (GZSLShuffleSplit(unseen_size=0), "'unseen_size' parameter .* must be a"),
        (GZSLShuffleSplit(unseen_size=1.0), "'unseen_size' parameter .* must be a"),
        (GZSLShuffleSplit(unseen_size=-0.5), "'unseen_size' parameter .* must be"),
        (GZSLShuffleSplit(unseen_size=True), "got the boolean True"),
        (GZSLShuffleSplit(seen_test_size=0.0), "'seen_test_size' parameter .* must"),
        (GZSLShuffleSplit(seen_test_size=1.5), "'seen_test_size' parameter .* must"),
        (GZSLShuffleSplit(seen_test_size="all"), "'seen_test_size' parameter"),
    ],
)
def test_invalid_parameters(cv, err_msg):
    """Check that bad parameters fail in get_n_splits and split, naming them."""
    y = np.repeat(np.arange(10), 4)
    X = np.zeros((y.shape[0], 1))
    with pytest.raises(ValueError, match=err_msg):
        cv.get_n_splits()
    with pytest.raises(ValueError, match=err_msg):
        list(cv.split(X, y))


@pytest.mark.parametrize("cv", [ZSLKFold(2), GZSLShuffleSplit(2)])
@pytest.mark.parametrize(
    "X, y, err_msg",
    [
        (np.zeros((4, 1)), None, "y is None; pass the labels as split"),
        (np.zeros((3, 1)), [0, 1, 2, 3], "inconsistent numbers of samples"),
        (np.zeros((4, 1)), [0.5, 1.5, 2.0, 3.1], "got a 'continuous' target"),
        (np.zeros((4, 1)), [[0, 1]] * 4, "got a 'multilabel-indicator' target"),
        (
            np.zeros((4, 1)),
            np.array(["a", 1, 2, "b"], dtype=object),
            "mix strings and numbers",
        ),
    ],
)
def test_invalid_y(cv, X, y, err_msg):
    """Check that y must be one class label per sample of X."""
    with pytest.raises(ValueError, match=err_msg):
        list(cv.split(X, y))


@pytest.mark.parametrize(
    "n_splits, n_classes, err_msg",
    [
        (5, 4, r"ZSLKFold\(n_splits=5\) needs at least 10 classes in y, got 4"),
        (2, 3, r"needs at least 4 classes in y, got 3.*at least 2 classes"),
        (3, 5, r"needs at least 6 classes in y, got 5.*Use n_splits=2 or fewer"),
        (3, 2, r"needs at least 6 classes in y, got 2"),
        (2, 1, r"needs at least 4 classes in y, got 1"),
    ],
)
def test_zsl_kfold_too_few_classes(n_splits, n_classes, err_msg):
    """Check that each fold must hold out at least 2 classes."""
    y = np.repeat(np.arange(n_classes), 3)
    with pytest.raises(ValueError, match=err_msg):
        list(ZSLKFold(n_splits).split(np.zeros((y.shape[0], 1)), y))


@pytest.mark.parametrize(
    "params, counts, err_msg",
    [
        ({"unseen_size": 4}, [3] * 5, "leaving 1 seen class.*at least 2 seen"),
        ({"unseen_size": 5}, [3] * 5, "leaving 0 seen class.*at least 2 seen"),
        ({"unseen_size": 0.7}, [3] * 5, "holds out 4 of the 5 classes"),
        ({"unseen_size": 1}, [3] * 5, "holds out 1 of the 5 classes.*2 unseen"),
        ({"unseen_size": 0.2}, [3] * 5, "holds out 1 of the 5 classes.*2 unseen"),
        (
            {"unseen_size": 2, "seen_test_size": 0.5},
            [1, 1, 1, 9, 9],
            "the 3 seen classes have 3 samples and 2 would go to the test set",
        ),
        (
            {"unseen_size": 2, "seen_test_size": 10},
            [4, 4, 4, 9, 9],
            r"at most 9 test samples\). Lower seen_test_size",
        ),
    ],
)
def test_gzsl_shuffle_split_impossible_sizes(params, counts, err_msg):
    """Check that sizes leaving no valid split raise before any split is drawn."""
    y = np.repeat(np.arange(len(counts)), counts)
    with pytest.raises(ValueError, match=err_msg):
        list(GZSLShuffleSplit(**params).split(np.zeros((y.shape[0], 1)), y))


def test_gzsl_shuffle_split_largest_possible_seen_share():
    """Check that the largest valid seen_test_size leaves one training sample.

    9 seen test samples fit when the largest classes (9 samples) are unseen:
    the three others then keep exactly one training sample each.
    """
    y = np.repeat(np.arange(5), [4, 4, 4, 9, 9])
    X = np.zeros((y.shape[0], 1))
    cv = GZSLShuffleSplit(30, unseen_size=2, seen_test_size=9, random_state=0)
    n_worst_case = 0
    for train, test in cv.split(X, y):
        unseen = np.setdiff1d(y[test], y[train])
        _, n_train = np.unique(y[train], return_counts=True)
        assert n_train.shape[0] == 3 and n_train.min() >= 1
        assert n_train.sum() == y.shape[0] - np.isin(y, unseen).sum() - 9
        if set(unseen) == {3, 4}:
            assert_array_equal(n_train, [1, 1, 1])
            n_worst_case += 1
    assert n_worst_case > 0, "the worst case must be exercised"


@pytest.mark.parametrize(
    "cv",
    [
        ZSLKFold(3),
        ZSLKFold(3, shuffle=True, random_state=0),
        GZSLShuffleSplit(3, unseen_size=2, random_state=0),
    ],
)
def test_splitters_in_sklearn_model_selection(cv):
    """Check that cross_val_score and GridSearchCV accept the splitters as cv."""
    rng = np.random.RandomState(0)
    y = np.repeat(np.array([f"c{i}" for i in range(8)]), 6)
    X = rng.normal(size=(y.shape[0], 4)) + np.repeat(np.arange(8), 6)[:, None]

    scores = cross_val_score(NearestCentroid(), X, y, cv=cv)
    assert scores.shape == (3,)
    if isinstance(cv, ZSLKFold):
        # A supervised classifier never predicts the unseen test classes.
        assert_array_equal(scores, np.zeros(3))
    else:
        # It does recognise the held-out samples of the seen classes.
        assert np.all((scores > 0) & (scores < 1))

    search = GridSearchCV(
        NearestCentroid(), {"shrink_threshold": [None, 0.5]}, cv=cv
    ).fit(X, y)
    assert search.n_splits_ == 3
    assert "split2_test_score" in search.cv_results_


@pytest.mark.parametrize("cv", [ZSLKFold(4), GZSLShuffleSplit(3, random_state=0)])
def test_splitters_with_metadata_routing(cv):
    """Check that the splitters need no metadata request when routing is enabled."""
    y = np.repeat(np.arange(8), 5)
    X = np.random.RandomState(0).normal(size=(y.shape[0], 3)) + y[:, None]
    with sklearn.config_context(enable_metadata_routing=True):
        search = GridSearchCV(
            NearestCentroid(), {"shrink_threshold": [None, 0.5]}, cv=cv
        ).fit(X, y)
    assert search.n_splits_ == cv.get_n_splits()
