"""Tests of the zero-shot classification metrics."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

from sklearn_zsl.metrics import (
    ausuc_score,
    best_seen_penalty,
    gzsl_scores,
    harmonic_mean_score,
    per_class_accuracy_score,
    seen_unseen_curve,
)

# A curve worked by hand: seen classes a, b; unseen classes c, d.
#   sample  true  scores (a, b, c, d)  best seen  best unseen  margin
#   0       a     3  0  1  0           a (hit)    c             3 - 1 = 2
#   1       b     0  4  1  0           b (hit)    c             4 - 1 = 3
#   2       c     2  0  0 -1           a          c (hit)       2 - 0 = 2
#   3       d     1  0  2  0           a          c (miss)      1 - 2 = -1
# Every class has one sample and each side two classes, so a hit counts 1/2.
HAND_CLASSES = np.array(["a", "b", "c", "d"])
HAND_SEEN = ["a", "b"]
HAND_Y = np.array(["a", "b", "c", "d"])
HAND_SCORES = np.array(
    [[3.0, 0, 1, 0], [0, 4, 1, 0], [2, 0, 0, -1], [1, 0, 2, 0]], dtype=float
)
# gamma < -1      : all seen            S = (1 + 1)/2 = 1,   U = 0
# -1 <= gamma < 2 : 3 -> c (miss)       S = 1,               U = 0
# 2 <= gamma < 3  : 0 -> c, 2 -> c hit  S = (0 + 1)/2 = 0.5, U = (1 + 0)/2 = 0.5
# gamma >= 3      : 1 -> c              S = 0,               U = 0.5
HAND_GAMMAS = [-np.inf, -1.0, 2.0, 3.0]
HAND_ACC_SEEN = [1.0, 1.0, 0.5, 0.0]
HAND_ACC_UNSEEN = [0.0, 0.0, 0.5, 0.5]
# Points (U, S): (0, 1) (0, 1) (0.5, 0.5) (0.5, 0); only the diagonal segment
# has width: (0.5 - 0) * (1 + 0.5) / 2 = 0.375.
HAND_AUSUC = 0.375


def _stacking_predict(scores, classes, seen_classes, gamma):
    """Calibrated stacking written directly from its definition."""
    penalised = scores - gamma * np.isin(classes, seen_classes)
    return classes[np.argmax(penalised, axis=1)]


@st.composite
def gzsl_problems(draw):
    """Small GZSL problems with integer scores (exact margins, no rounding)."""
    n_classes = draw(st.integers(2, 5))
    n_seen = draw(st.integers(1, n_classes - 1))
    n_samples = draw(st.integers(2, 12))
    classes = np.arange(n_classes) * 10
    seen_classes = classes[:n_seen]
    y_ind = draw(
        st.lists(st.integers(0, n_classes - 1), min_size=n_samples, max_size=n_samples)
    )
    # Guarantee a seen-class and an unseen-class sample.
    y_ind[0] = draw(st.integers(0, n_seen - 1))
    y_ind[1] = draw(st.integers(n_seen, n_classes - 1))
    values = draw(
        st.lists(
            st.integers(-3, 3),
            min_size=n_samples * n_classes,
            max_size=n_samples * n_classes,
        )
    )
    scores = np.array(values, dtype=float).reshape(n_samples, n_classes)
    return classes[np.array(y_ind)], scores, classes, seen_classes


# per_class_accuracy_score


def test_per_class_accuracy_hand_computed():
    """Check per-class accuracy against a hand-computed mean of recalls."""
    y_true = [0, 0, 0, 1, 1, 2]
    y_pred = [0, 0, 1, 1, 0, 2]
    # class 0: 2/3, class 1: 1/2, class 2: 1/1 -> (4/6 + 3/6 + 6/6) / 3 = 13/18
    assert per_class_accuracy_score(y_true, y_pred) == pytest.approx(13 / 18)
    # labels restricts to the samples of classes 1 and 2: (1/2 + 1) / 2
    assert per_class_accuracy_score(y_true, y_pred, labels=[2, 1]) == 0.75


def test_per_class_accuracy_ignores_class_frequency():
    """Check that a frequent class weighs as much as a rare one."""
    y_true = ["x"] * 9 + ["y"]
    y_pred = ["x"] * 10
    # plain accuracy 9/10, per class (9/9 + 0/1) / 2
    assert per_class_accuracy_score(y_true, y_pred) == 0.5


def test_per_class_accuracy_no_warning_for_unknown_predictions():
    """Check that predicting classes absent from y_true does not warn."""
    y_true = ["cat", "cat", "dog"]
    y_pred = ["zebra", "cat", "dog"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        score = per_class_accuracy_score(y_true, y_pred)
    # (1/2 + 1/1) / 2
    assert score == 0.75


@pytest.mark.parametrize(
    "y_true, y_pred",
    [(["a", "b"], [0, 1]), ([0, 1, 2], ["0", "1", "2"]), ([0, 1], [True, False])],
)
def test_per_class_accuracy_label_types_differ(y_true, y_pred):
    """Check that labels of different types are an error, never an accuracy of 0.

    Issue 13: ``per_class_accuracy_score([0, 1, 2], ["0", "1", "2"])`` was 0.0.
    """
    err_msg = r"The labels of y_pred .* and of y_true .* are of different types"
    with pytest.raises(TypeError, match=err_msg):
        per_class_accuracy_score(y_true, y_pred)
    with pytest.raises(ValueError, match=err_msg):
        gzsl_scores(y_true, y_pred, seen_classes=y_true[:1])


@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=30),
    st.randoms(use_true_random=False),
)
def test_per_class_accuracy_equals_balanced_accuracy(y_true, rnd):
    """Check equality with balanced_accuracy_score on the classes of y_true."""
    y_pred = [rnd.choice(y_true) for _ in y_true]
    with warnings.catch_warnings():
        # sklearn warns when y_true and y_pred hold a single label
        warnings.simplefilter("ignore", UserWarning)
        expected = balanced_accuracy_score(y_true, y_pred)
    assert per_class_accuracy_score(y_true, y_pred) == pytest.approx(expected)


# gzsl_scores and harmonic_mean_score


def test_gzsl_scores_hand_computed():
    """Check the seen, unseen and harmonic-mean accuracies by hand."""
    y_true = ["a", "a", "b", "c", "c", "c", "d"]
    y_pred = ["a", "c", "b", "c", "a", "c", "c"]
    scores = gzsl_scores(y_true, y_pred, seen_classes=["a", "b"])
    # seen: a 1/2, b 1/1 -> 3/4; unseen: c 2/3, d 0/1 -> 1/3
    # H = 2 * 3/4 * 1/3 / (3/4 + 1/3) = (1/2) / (13/12) = 6/13
    assert list(scores) == ["acc_seen", "acc_unseen", "H"]
    assert scores["acc_seen"] == pytest.approx(0.75)
    assert scores["acc_unseen"] == pytest.approx(1 / 3)
    assert scores["H"] == pytest.approx(6 / 13)
    h_score = harmonic_mean_score(y_true, y_pred, seen_classes=["a", "b"])
    assert h_score == pytest.approx(6 / 13)


def test_gzsl_scores_zero_accuracies():
    """Check that H is 0, not NaN, when both accuracies are 0."""
    scores = gzsl_scores([0, 1], [1, 0], seen_classes=[0])
    assert scores == {"acc_seen": 0.0, "acc_unseen": 0.0, "H": 0.0}


def test_gzsl_scores_seen_classes_forms():
    """Check that seen classes absent from y_true and repeats are fine."""
    y_true, y_pred = [1, 2, 3], [1, 3, 3]
    # seen: 1 -> 1/1; unseen: 2 -> 0/1, 3 -> 1/1 -> 1/2; H = 2 * 1 * 0.5 / 1.5
    expected = {"acc_seen": 1.0, "acc_unseen": 0.5, "H": 2 / 3}
    for seen in ([1, 7], (1,), [1, 1], np.array([1])):
        scores = gzsl_scores(y_true, y_pred, seen_classes=seen)
        assert scores == pytest.approx(expected)


@pytest.mark.parametrize("seen", [{1, 7}, frozenset([1]), {1: "a"}.keys()])
def test_gzsl_scores_reject_unordered_seen_classes(seen):
    """Check that sets are rejected as everywhere else labels are given (issue 13)."""
    err_msg = r"seen_classes is a \w+, not an ordered sequence"
    with pytest.raises(TypeError, match=err_msg):
        gzsl_scores([1, 2, 3], [1, 3, 3], seen_classes=seen)


@given(
    st.lists(st.integers(0, 4), min_size=2, max_size=25),
    st.lists(st.integers(0, 4), min_size=27, max_size=27),
)
def test_gzsl_scores_properties(y_true, y_pred):
    """Check bounds, H between S and U, and H == 0 when S or U is 0."""
    y_true = [0, 3, *y_true]  # a seen and an unseen sample
    y_pred = y_pred[: len(y_true)]
    scores = gzsl_scores(y_true, y_pred, seen_classes=[0, 1, 2])
    acc_seen, acc_unseen, h_score = (
        scores["acc_seen"],
        scores["acc_unseen"],
        scores["H"],
    )
    for value in scores.values():
        assert 0.0 <= value <= 1.0
    assert min(acc_seen, acc_unseen) - 1e-12 <= h_score
    assert h_score <= max(acc_seen, acc_unseen) + 1e-12
    if acc_seen == 0 or acc_unseen == 0:
        assert h_score == 0.0
    labels_seen = np.intersect1d(y_true, [0, 1, 2])
    assert acc_seen == per_class_accuracy_score(y_true, y_pred, labels=labels_seen)


# seen_unseen_curve, ausuc_score, best_seen_penalty


def test_seen_unseen_curve_hand_computed():
    """Check every point of the curve worked out by hand."""
    gammas, acc_seen, acc_unseen = seen_unseen_curve(
        HAND_Y, HAND_SCORES, classes=HAND_CLASSES, seen_classes=HAND_SEEN
    )
    assert_array_equal(gammas, HAND_GAMMAS)
    assert_allclose(acc_seen, HAND_ACC_SEEN)
    assert_allclose(acc_unseen, HAND_ACC_UNSEEN)


def test_ausuc_hand_computed():
    """Check AUSUC on the hand-worked curve, including a diagonal segment."""
    score = ausuc_score(
        HAND_Y, HAND_SCORES, classes=HAND_CLASSES, seen_classes=HAND_SEEN
    )
    assert score == pytest.approx(HAND_AUSUC)


def test_curve_column_order_follows_classes():
    """Check that classes, not sorted labels, give the column order."""
    order = [3, 1, 0, 2]
    score = ausuc_score(
        HAND_Y,
        HAND_SCORES[:, order],
        classes=HAND_CLASSES[order],
        seen_classes=HAND_SEEN,
    )
    assert score == pytest.approx(HAND_AUSUC)


def test_binary_curve_from_1d_scores():
    """Check 1-D binary scores (classes[1] minus classes[0]) by hand."""
    # Unseen class "x", seen class "y"; the margin is the score itself.
    y_true = ["x", "y", "y", "x"]
    scores = [-1.0, 2.0, 0.5, 1.0]
    gammas, acc_seen, acc_unseen = seen_unseen_curve(
        y_true, scores, classes=["x", "y"], seen_classes=["y"]
    )
    # Each of the two samples of a class weighs 1/2; margins sorted -1 (x),
    # 0.5 (y), 1 (x), 2 (y): U rises at x samples, S falls at y samples.
    assert_array_equal(gammas, [-np.inf, -1.0, 0.5, 1.0, 2.0])
    assert_allclose(acc_seen, [1.0, 1.0, 0.5, 0.5, 0.0])
    assert_allclose(acc_unseen, [0.0, 0.5, 0.5, 1.0, 1.0])
    # (0.5 - 0) * (1 + 1) / 2 + (1 - 0.5) * (0.5 + 0.5) / 2 = 0.5 + 0.25
    score = ausuc_score(y_true, scores, classes=["x", "y"], seen_classes=["y"])
    assert score == pytest.approx(0.75)


def test_best_seen_penalty_hand_computed():
    """Check the H-maximising penalty and that it reproduces the best point."""
    gamma = best_seen_penalty(
        HAND_Y, HAND_SCORES, classes=HAND_CLASSES, seen_classes=HAND_SEEN
    )
    # H per point: 0, 0, 0.5, 0 -> midpoint of [2, 3)
    assert gamma == 2.5
    y_pred = _stacking_predict(HAND_SCORES, HAND_CLASSES, HAND_SEEN, gamma)
    assert_array_equal(y_pred, ["c", "b", "c", "c"])
    assert gzsl_scores(HAND_Y, y_pred, seen_classes=HAND_SEEN)["H"] == 0.5


def test_best_seen_penalty_zero_when_h_is_always_zero():
    """Check that 0.0 is returned when no penalty makes H positive."""
    # The best unseen class of the unseen sample is always wrong (d < c).
    y_true = ["a", "c"]
    scores = [[1.0, 0.0, 0.0], [1.0, 3.0, 0.0]]
    gamma = best_seen_penalty(
        y_true, scores, classes=["a", "d", "c"], seen_classes=["a"]
    )
    assert gamma == 0.0


@given(gzsl_problems())
def test_curve_matches_calibrated_stacking(problem):
    """Check each curve point against predictions made from the definition."""
    y_true, scores, classes, seen_classes = problem
    gammas, acc_seen, acc_unseen = seen_unseen_curve(
        y_true, scores, classes=classes, seen_classes=seen_classes
    )
    # Integer margins: penalties halfway between thresholds break no tie.
    probes = np.append((gammas[1:] - 0.5), gammas[-1] + 0.5)
    for gamma, expected_seen, expected_unseen in zip(
        probes, acc_seen, acc_unseen, strict=True
    ):
        y_pred = _stacking_predict(scores, classes, seen_classes, gamma)
        scores_at = gzsl_scores(y_true, y_pred, seen_classes=seen_classes)
        assert scores_at["acc_seen"] == pytest.approx(expected_seen)
        assert scores_at["acc_unseen"] == pytest.approx(expected_unseen)


@given(gzsl_problems())
def test_curve_end_points_and_bounds(problem):
    """Check monotonicity, the end points and that every value is in [0, 1]."""
    y_true, scores, classes, seen_classes = problem
    gammas, acc_seen, acc_unseen = seen_unseen_curve(
        y_true, scores, classes=classes, seen_classes=seen_classes
    )
    assert gammas[0] == -np.inf
    assert np.all(np.diff(gammas) > 0)
    assert acc_unseen[0] == 0.0
    assert acc_seen[-1] == 0.0
    assert np.all(np.diff(acc_seen) <= 1e-12)
    assert np.all(np.diff(acc_unseen) >= -1e-12)
    assert np.all((acc_seen >= 0) & (acc_seen <= 1))
    assert np.all((acc_unseen >= 0) & (acc_unseen <= 1))
    # At -inf all samples are predicted as their best seen class.
    y_pred = _stacking_predict(scores, classes, seen_classes, -1e9)
    expected = gzsl_scores(y_true, y_pred, seen_classes=seen_classes)
    assert acc_seen[0] == pytest.approx(expected["acc_seen"])
    area = ausuc_score(y_true, scores, classes=classes, seen_classes=seen_classes)
    assert 0.0 <= area <= 1.0
    assert area <= acc_seen[0] * acc_unseen[-1] + 1e-12


@given(gzsl_problems(), st.integers(-5, 5))
def test_ausuc_invariant_to_seen_shift(problem, shift):
    """Check AUSUC ignores a constant added to every seen-class score."""
    y_true, scores, classes, seen_classes = problem
    shifted = scores + shift * np.isin(classes, seen_classes)
    expected = ausuc_score(y_true, scores, classes=classes, seen_classes=seen_classes)
    area = ausuc_score(y_true, shifted, classes=classes, seen_classes=seen_classes)
    assert area == pytest.approx(expected)


@given(st.lists(st.tuples(st.booleans(), st.integers(-4, 4)), min_size=2, max_size=20))
def test_binary_ausuc_equals_roc_auc(samples):
    """Check that with one seen and one unseen class AUSUC is the ROC AUC.

    S(gamma) is the share of seen samples whose margin exceeds gamma (a true
    positive rate) and U(gamma) one minus the false positive rate, so the area
    under S against U is the ROC AUC of the margin for "is seen".
    """
    samples = [(True, 0), (False, 0), *samples]
    is_seen = np.array([seen for seen, _ in samples])
    margin = np.array([value for _, value in samples], dtype=float)
    y_true = np.where(is_seen, "seen", "unseen")
    # classes ["seen", "unseen"]: the 1-D score is score(unseen) - score(seen)
    area = ausuc_score(
        y_true, -margin, classes=["seen", "unseen"], seen_classes=["seen"]
    )
    assert area == pytest.approx(roc_auc_score(is_seen, margin))


@given(gzsl_problems())
def test_best_seen_penalty_reaches_best_h(problem):
    """Check the chosen penalty gives the highest H of the curve."""
    y_true, scores, classes, seen_classes = problem
    _, acc_seen, acc_unseen = seen_unseen_curve(
        y_true, scores, classes=classes, seen_classes=seen_classes
    )
    total = acc_seen + acc_unseen
    h_curve = np.divide(
        2 * acc_seen * acc_unseen, total, where=total > 0, out=0 * total
    )
    gamma = best_seen_penalty(
        y_true, scores, classes=classes, seen_classes=seen_classes
    )
    y_pred = _stacking_predict(scores, classes, seen_classes, gamma)
    h_score = harmonic_mean_score(y_true, y_pred, seen_classes=seen_classes)
    assert h_score == pytest.approx(h_curve.max())


# Invalid inputs


@pytest.mark.parametrize(
    "y_true, y_pred, err_msg",
    [
        ([0, 1, 1], [0, 1], "different lengths"),
        ([], [], "y_true is empty"),
        ([[0, 1], [1, 0]], [0, 1], "y_true must be 1-D"),
        ([0, 1], [[0], [1]], "y_pred must be 1-D"),
        ([0.0, np.nan], [0.0, 1.0], "NaN or infinite labels"),
    ],
)
def test_per_class_accuracy_invalid_targets(y_true, y_pred, err_msg):
    """Check that malformed targets raise a ValueError naming the problem."""
    with pytest.raises(ValueError, match=err_msg):
        per_class_accuracy_score(y_true, y_pred)
    with pytest.raises(ValueError, match=err_msg):
        gzsl_scores(y_true, y_pred, seen_classes=[0])


def test_per_class_accuracy_labels_without_samples():
    """Check that averaging over a class without sample raises."""
    err_msg = r"labels \[2\] have no sample in y_true"
    with pytest.raises(ValueError, match=err_msg):
        per_class_accuracy_score([0, 1], [0, 1], labels=[1, 2])
    with pytest.raises(ValueError, match="labels is empty"):
        per_class_accuracy_score([0, 1], [0, 1], labels=[])


def test_metrics_reject_non_array_arguments():
    """Check that validate_params rejects scalars and strings."""
    err_msg = "The 'y_true' parameter of per_class_accuracy_score must be"
    with pytest.raises(ValueError, match=err_msg):
        per_class_accuracy_score("abc", [0, 1, 2])
    err_msg = "The 'seen_classes' parameter of gzsl_scores must be"
    with pytest.raises(TypeError, match=err_msg):
        gzsl_scores([0, 1], [0, 1], seen_classes=0)


@pytest.mark.parametrize("metric", [gzsl_scores, harmonic_mean_score])
def test_gzsl_scores_invalid_seen_classes(metric):
    """Check missing, empty and 2-D seen_classes."""
    with pytest.raises(TypeError, match="missing a required argument: 'seen_cl"):
        metric([0, 1], [0, 1])
    with pytest.raises(ValueError, match="seen_classes is empty"):
        metric([0, 1], [0, 1], seen_classes=[])
    with pytest.raises(ValueError, match="seen_classes must be a 1-D"):
        metric([0, 1], [0, 1], seen_classes=[[0], [1]])


@pytest.mark.parametrize(
    "y_true, err_msg",
    [
        ([0, 0, 1], "no sample of an unseen class, so acc_unseen"),
        ([2, 3], "no sample of a seen class, so acc_seen"),
    ],
)
def test_gzsl_scores_missing_side(y_true, err_msg):
    """Check that a test set lacking seen or unseen samples raises."""
    with pytest.raises(ValueError, match=err_msg):
        gzsl_scores(y_true, y_true, seen_classes=[0, 1])
    with pytest.raises(ValueError, match=err_msg):
        ausuc_score(
            y_true,
            np.zeros((len(y_true), 4)),
            classes=[0, 1, 2, 3],
            seen_classes=[0, 1],
        )


@pytest.mark.parametrize(
    "kwargs, err_msg",
    [
        ({"scores": HAND_SCORES[:, :3]}, "scores has 3 columns but there are 4"),
        ({"scores": HAND_SCORES[:3]}, "different numbers of samples \\(4 and 3\\)"),
        ({"scores": HAND_SCORES[:, 0]}, "1-D scores are binary scores"),
        ({"scores": HAND_SCORES[None]}, "Found array with dim 3"),
        ({"scores": np.full((4, 4), np.nan)}, "scores contains NaN"),
        ({"classes": ["a", "b", "c", "e"]}, r"y_true has labels \['d'\] that are"),
        ({"classes": ["a", "a", "c", "d"]}, r"duplicate labels \['a'\]"),
        ({"classes": []}, "classes is empty"),
        ({"seen_classes": ["a", "z"]}, r"seen_classes has labels \['z'\]"),
        ({"seen_classes": ["a", "b", "c", "d"]}, "Every class in classes is seen"),
        ({"seen_classes": []}, "seen_classes is empty"),
        ({"y_true": HAND_Y[:, None]}, "y_true must be 1-D"),
    ],
)
@pytest.mark.parametrize("metric", [seen_unseen_curve, ausuc_score, best_seen_penalty])
def test_curve_invalid_inputs(metric, kwargs, err_msg):
    """Check every malformed curve input raises a ValueError naming it."""
    params = {
        "y_true": HAND_Y,
        "scores": HAND_SCORES,
        "classes": HAND_CLASSES,
        "seen_classes": HAND_SEEN,
        **kwargs,
    }
    y_true, scores = params.pop("y_true"), params.pop("scores")
    with pytest.raises(ValueError, match=err_msg):
        metric(y_true, scores, **params)


def test_curve_requires_classes():
    """Check that classes and seen_classes are required keywords."""
    with pytest.raises(TypeError, match="missing a required argument: 'classes'"):
        ausuc_score(HAND_Y, HAND_SCORES, seen_classes=HAND_SEEN)
