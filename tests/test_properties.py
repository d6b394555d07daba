"""Property-based tests: random shapes, label types and orderings.

Hypothesis throws class semantics of random shapes, with integer, string or
mixed labels in random orders, at :class:`~sklearn_zsl.ClassSemantics`, the
metrics and the estimators, and checks invariants: the row order of the
semantics never changes a model, and relabelling the classes (through any
bijection, integers to strings included) permutes every output consistently.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.metrics import balanced_accuracy_score

from sklearn_zsl import (
    ClassSemantics,
    ESZSLClassifier,
    SAEClassifier,
    check_class_semantics,
)
from sklearn_zsl.embedding import DEMClassifier
from sklearn_zsl.flow import IZFClassifier
from sklearn_zsl.metrics import (
    ausuc_score,
    best_seen_penalty,
    gzsl_scores,
    harmonic_mean_score,
    per_class_accuracy_score,
    seen_unseen_curve,
)
from sklearn_zsl.utils._test_common import sized_for_tests

# Labels: integers, or strings of any characters but NUL (numpy strips
# trailing NULs from its fixed-width strings).
INT_LABEL = st.integers(-(2**31), 2**31 - 1)
STR_LABEL = st.text(st.characters(exclude_characters="\x00"), min_size=1, max_size=6)


def label_sets(min_size=2, max_size=8):
    """Unique labels, all integers or all strings."""
    return st.one_of(
        st.lists(INT_LABEL, min_size=min_size, max_size=max_size, unique=True),
        st.lists(STR_LABEL, min_size=min_size, max_size=max_size, unique=True),
    )


@st.composite
def semantics_tables(draw, min_classes=2, max_classes=8):
    """``(labels, matrix, permutation)`` with a random shape and row order."""
    labels = draw(label_sets(min_classes, max_classes))
    n_dims = draw(st.integers(1, 5))
    matrix = draw(
        arrays(
            np.float64,
            (len(labels), n_dims),
            elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
        )
    )
    permutation = draw(st.permutations(range(len(labels))))
    return np.asarray(labels), matrix, np.asarray(permutation)


@st.composite
def relabellings(draw, labels):
    """A bijection from ``labels`` to new labels of either type, as a dict."""
    new_labels = draw(label_sets(len(labels), len(labels)))
    return dict(zip(labels.tolist(), new_labels, strict=True))


def _map(mapping, values):
    return np.asarray([mapping[value] for value in np.asarray(values).tolist()])


# -- ClassSemantics --------------------------------------------------------------------
@given(semantics_tables())
def test_semantics_row_order_is_irrelevant(table):
    """Check that every accepted form, in any row order, gives the same semantics."""
    labels, matrix, perm = table
    order = np.argsort(labels)
    expected = ClassSemantics(labels[order], matrix[order])
    forms = [
        ClassSemantics(labels[perm], matrix[perm]),
        pd.DataFrame(matrix[perm], index=labels[perm]),
        dict(zip(labels[perm].tolist(), matrix[perm], strict=True)),
    ]
    for form in forms:
        semantics = check_class_semantics(form)
        assert semantics.select(labels[order]) == expected
        assert_array_equal(semantics.select(labels[perm]).to_numpy(), matrix[perm])


@given(semantics_tables(), st.integers(1, 4))
def test_modalities_stay_aligned_by_label(table, n_extra):
    """Check that a second modality given in another class order is realigned."""
    labels, matrix, perm = table
    extra = np.arange(labels.shape[0] * n_extra, dtype=float).reshape(-1, n_extra)
    semantics = ClassSemantics(
        labels,
        {"a": matrix, "b": pd.DataFrame(extra[perm], index=labels[perm])},
    )
    assert semantics.dims == {"a": matrix.shape[1], "b": n_extra}
    assert_array_equal(semantics.to_numpy(), np.hstack([matrix, extra]))
    assert_array_equal(semantics.select(labels[perm]).to_numpy("b"), extra[perm])


@given(semantics_tables())
def test_semantics_round_trip_through_a_dataframe(table):
    """Check that to_frame and from_dataframe give back the same semantics."""
    labels, matrix, _ = table
    semantics = ClassSemantics(labels, {"semantics": matrix})
    frame = semantics.to_frame()
    assert frame.shape == matrix.shape
    assert ClassSemantics.from_dataframe(frame) == semantics


@given(
    st.lists(INT_LABEL, min_size=1, max_size=4, unique=True),
    st.lists(STR_LABEL, min_size=1, max_size=4, unique=True),
    st.randoms(use_true_random=False),
)
def test_mixed_label_types_are_rejected(ints, strings, random):
    """Check that labels mixing integers and strings raise a TypeError."""
    labels = ints + strings
    random.shuffle(labels)
    err_msg = "class labels mix strings and numbers"
    with pytest.raises(TypeError, match=err_msg):
        ClassSemantics(labels, np.ones((len(labels), 2)))
    with pytest.raises(TypeError, match=err_msg):
        check_class_semantics(dict.fromkeys(labels, [0.0, 1.0]))


@given(semantics_tables(), st.data())
def test_duplicate_labels_are_rejected(table, data):
    """Check that a label given twice is a ValueError naming it."""
    labels, matrix, _ = table
    duplicate = data.draw(st.sampled_from(labels.tolist()))
    labels = np.append(labels, duplicate)
    matrix = np.vstack([matrix, matrix[:1]])
    with pytest.raises(ValueError, match=r"duplicate class labels \[.+\]"):
        ClassSemantics(labels, matrix)


# -- metrics ---------------------------------------------------------------------------
@st.composite
def predictions(draw, min_classes=2, max_classes=6):
    """``(y_true, y_pred, labels)`` over integer classes 0..n_classes-1."""
    n_classes = draw(st.integers(min_classes, max_classes))
    n_samples = draw(st.integers(n_classes, 40))
    classes = st.integers(0, n_classes - 1)
    y_true = draw(arrays(np.int64, n_samples, elements=classes))
    y_pred = draw(arrays(np.int64, n_samples, elements=classes))
    # Every class has a sample, so that both sides of a GZSL split exist.
    y_true[:n_classes] = np.arange(n_classes)
    return y_true, y_pred, np.arange(n_classes)


@given(predictions(), st.data())
def test_per_class_accuracy_invariant_under_relabelling(preds, data):
    """Check per-class accuracy against a direct count, before and after relabelling."""
    y_true, y_pred, labels = preds
    mapping = data.draw(relabellings(labels))
    order = data.draw(st.permutations(range(y_true.shape[0])))
    score = per_class_accuracy_score(y_true, y_pred)
    expected = np.mean([np.mean(y_pred[y_true == c] == c) for c in labels])
    assert_allclose(score, expected)
    assert_allclose(score, balanced_accuracy_score(y_true, y_pred))
    new_true, new_pred = _map(mapping, y_true)[order], _map(mapping, y_pred)[order]
    assert_allclose(per_class_accuracy_score(new_true, new_pred), score)


@given(predictions(min_classes=3), st.data())
def test_gzsl_scores_invariant_under_relabelling(preds, data):
    """Check S, U and H under relabelling, and H between the two accuracies."""
    y_true, y_pred, labels = preds
    n_seen = data.draw(st.integers(1, labels.shape[0] - 1))
    seen = data.draw(st.permutations(labels))[:n_seen]
    mapping = data.draw(relabellings(labels))
    scores = gzsl_scores(y_true, y_pred, seen_classes=seen)
    relabelled = gzsl_scores(
        _map(mapping, y_true), _map(mapping, y_pred), seen_classes=_map(mapping, seen)
    )
    assert relabelled.keys() == scores.keys() == {"acc_seen", "acc_unseen", "H"}
    for name, value in scores.items():
        assert_allclose(relabelled[name], value, err_msg=name)
    low, high = sorted([scores["acc_seen"], scores["acc_unseen"]])
    assert low - 1e-12 <= scores["H"] <= high + 1e-12
    assert_allclose(harmonic_mean_score(y_true, y_pred, seen_classes=seen), scores["H"])


@st.composite
def scored_samples(draw):
    """``(y_true, scores, classes, seen)``: distinct scores, so no argmax tie."""
    y_true, _, classes = draw(predictions(min_classes=3))
    scores = draw(
        arrays(
            np.float64,
            (y_true.shape[0], classes.shape[0]),
            elements=st.floats(-100, 100, allow_nan=False),
            unique=True,
        )
    )
    n_seen = draw(st.integers(1, classes.shape[0] - 1))
    seen = draw(st.permutations(classes))[:n_seen]
    return y_true, scores, classes, seen


@given(scored_samples(), st.data())
def test_seen_unseen_curve_invariant_under_relabelling(sample, data):
    """Check that relabelling classes and permuting score columns changes nothing."""
    y_true, scores, classes, seen = sample
    mapping = data.draw(relabellings(classes))
    columns = np.asarray(data.draw(st.permutations(range(classes.shape[0]))))
    new = {
        "y_true": _map(mapping, y_true),
        "scores": scores[:, columns],
        "classes": _map(mapping, classes[columns]),
        "seen_classes": _map(mapping, seen),
    }
    old = {"classes": classes, "seen_classes": seen}
    for expected, actual in zip(
        seen_unseen_curve(y_true, scores, **old),
        seen_unseen_curve(**new),
        strict=True,
    ):
        assert_allclose(actual, expected)
    area = ausuc_score(y_true, scores, **old)
    assert 0.0 <= area <= 1.0
    assert_allclose(ausuc_score(**new), area)
    assert_allclose(best_seen_penalty(**new), best_seen_penalty(y_true, scores, **old))


# -- estimators ------------------------------------------------------------------------
@st.composite
def zsl_problems(draw):
    """A small ZSL task: shapes and label type drawn, values from a seed."""
    n_classes = draw(st.integers(3, 7))
    n_unseen = draw(st.integers(1, n_classes - 2))
    n_features = draw(st.integers(1, 6))
    n_dims = draw(st.integers(1, 5))
    rng = np.random.RandomState(draw(st.integers(0, 2**32 - 1)))
    labels = np.asarray(draw(label_sets(n_classes, n_classes)))
    matrix = rng.rand(n_classes, n_dims)
    y = np.repeat(labels[n_unseen:], 4)
    class_index = np.searchsorted(np.sort(labels), y)
    X = np.sort(matrix, axis=0)[class_index] @ rng.randn(n_dims, n_features)
    X += 0.3 * rng.randn(*X.shape)
    perm = np.asarray(draw(st.permutations(range(n_classes))))
    return X, y, labels, matrix, perm


LINEAR = [ESZSLClassifier(), SAEClassifier(), SAEClassifier(space="visual")]


@settings(max_examples=25)
@given(zsl_problems())
def test_linear_models_ignore_the_row_order_of_the_semantics(problem):
    """Check that permuting the rows of the semantics changes no score."""
    X, y, labels, matrix, perm = problem
    for clf in LINEAR:
        first = _fit_or_error(clf, X, y, ClassSemantics(labels, matrix))
        other = ClassSemantics(labels[perm], matrix[perm])
        second = _fit_or_error(clf, X, y, other)
        if _both_failed(first, second):
            continue
        assert_array_equal(second.decision_function(X), first.decision_function(X))


def _fit_or_error(clf, X, y, semantics):
    """The fitted clone of ``clf``, or the ValueError of a model that cannot classify.

    Drawn problems can be degenerate (one semantic dimension, say, which a
    cosine similarity cannot tell apart): ``fit`` then raises, and the
    invariant is that the transformed problem raises alike.
    """
    try:
        return clone(clf).fit(X, y, class_semantics=semantics)
    except ValueError as exc:
        assert "it cannot classify" in str(exc), str(exc)
        return exc


def _both_failed(first, second):
    failed = [isinstance(fitted, ValueError) for fitted in (first, second)]
    assert failed[0] == failed[1], (first, second)
    return failed[0]


def _assert_permuted_consistently(first, second, mapping, X, rtol):
    """Scores of ``second`` are those of ``first``, columns following the labels."""
    new_classes = _map(mapping, first.classes_)
    assert set(second.classes_.tolist()) == set(new_classes.tolist())
    assert set(second.seen_classes_.tolist()) == set(
        _map(mapping, first.seen_classes_).tolist()
    )
    columns = np.searchsorted(second.classes_, new_classes)
    scores = first.decision_function(X)
    scale = np.max(np.abs(scores)) + 1e-300
    assert_allclose(
        second.decision_function(X)[:, columns], scores, rtol=rtol, atol=rtol * scale
    )
    # Predictions agree wherever the best class wins by more than rounding.
    top_two = np.sort(scores, axis=1)[:, -2:]
    clear = top_two[:, 1] - top_two[:, 0] > 1e3 * rtol * scale
    assert_array_equal(second.predict(X)[clear], _map(mapping, first.predict(X)[clear]))


@settings(max_examples=25)
@given(zsl_problems(), st.data())
def test_linear_models_relabelling_permutes_the_outputs(problem, data):
    """Check that a bijection of the labels permutes the scores and predictions."""
    X, y, labels, matrix, perm = problem
    mapping = data.draw(relabellings(labels))
    new_semantics = ClassSemantics(_map(mapping, labels[perm]), matrix[perm])
    for clf in LINEAR:
        first = _fit_or_error(clf, X, y, ClassSemantics(labels, matrix))
        second = _fit_or_error(clf, X, _map(mapping, y), new_semantics)
        if _both_failed(first, second):
            continue
        _assert_permuted_consistently(first, second, mapping, X, rtol=1e-8)


# The deep models, with a fixed seed. The row order of the semantics and
# order-preserving relabellings are checked for every estimator by
# sklearn_zsl.utils.estimator_checks (tests/test_common.py); here, any bijection.
@pytest.fixture(scope="module")
def deep_data(tiny_zsl_data):
    return tiny_zsl_data


@pytest.mark.parametrize(
    "clf",
    [
        sized_for_tests(DEMClassifier, early_stopping=False),
        sized_for_tests(IZFClassifier, classifier="bayes", mmd_weight=0.0),
    ],
    ids=["dem", "izf-bayes"],
)
@pytest.mark.parametrize("seed", [0, 1])
def test_deep_models_relabelling_permutes_the_outputs(deep_data, clf, seed):
    """Check that any bijection of the labels permutes the outputs.

    Without random draws over the classes (DEM's stratified validation split,
    IZF's negative classes), the fit itself is relabelling-equivariant up to
    float rounding.
    """
    X_train, y_train, X, semantics = deep_data
    rng = np.random.RandomState(seed)
    new_labels = rng.permutation([f"c{k}" for k in range(semantics.n_classes)])
    mapping = dict(zip(semantics.labels.tolist(), new_labels, strict=True))
    perm = rng.permutation(semantics.n_classes)
    relabelled = ClassSemantics(
        _map(mapping, semantics.labels[perm]), semantics.to_numpy()[perm]
    )
    first = clone(clf).fit(X_train, y_train, class_semantics=semantics)
    second = clone(clf).fit(X_train, _map(mapping, y_train), class_semantics=relabelled)
    _assert_permuted_consistently(first, second, mapping, X, rtol=1e-5)
