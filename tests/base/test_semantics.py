"""Tests of ClassSemantics and check_class_semantics."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from sklearn_zsl import ClassSemantics, check_class_semantics


def test_forms_agree():
    """Check that a DataFrame, a mapping and a ClassSemantics give the same table."""
    matrix = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]])
    labels = ["b", "a", "c"]
    frame = pd.DataFrame(matrix, index=labels, columns=["x", "y"])
    mapping = dict(zip(labels, matrix, strict=True))
    expected = ClassSemantics(labels, matrix)
    assert check_class_semantics(frame) == expected
    assert check_class_semantics(mapping) == expected
    assert check_class_semantics(expected) is expected


def test_select_reorders_rows():
    """Check that select returns rows in the requested label order."""
    semantics = ClassSemantics([3, 1, 2], {"a": [[3.0], [1.0], [2.0]], "b": np.eye(3)})
    selected = semantics.select([1, 2, 3])
    assert_array_equal(selected.labels, [1, 2, 3])
    assert_array_equal(selected.to_numpy("a").ravel(), [1.0, 2.0, 3.0])
    assert_array_equal(selected.to_numpy("b"), np.eye(3)[[1, 2, 0]])
    assert selected.names == ("a", "b")
    assert selected.dims == {"a": 1, "b": 3}
    assert selected.n_dims == 4


def test_normalizations_by_hand():
    """Check the four normalisations against hand-computed values."""
    matrix = np.array([[3.0, 0.0], [0.0, 4.0], [3.0, 4.0]])
    labels = [0, 1, 2]
    l2 = ClassSemantics(labels, matrix, normalize="l2").to_numpy()
    assert_allclose(l2, [[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    minmax = ClassSemantics(labels, matrix, normalize="minmax").to_numpy()
    assert_allclose(minmax, [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    standard = ClassSemantics(labels, matrix, normalize="standard").to_numpy()
    # column 0: mean 2, std sqrt(2); column 1: mean 8/3, std sqrt(32/9)
    assert_allclose(standard[:, 0], (matrix[:, 0] - 2.0) / np.sqrt(2.0))
    assert_allclose(standard[:, 1], (matrix[:, 1] - 8 / 3) / np.sqrt(32 / 9))
    assert_allclose(ClassSemantics(labels, matrix, normalize="none").to_numpy(), matrix)


def test_normalize_per_modality():
    """Check that a dict normalises only the named modality."""
    semantics = ClassSemantics(
        [0, 1], {"a": [[3.0, 4.0], [1.0, 0.0]], "b": [[3.0, 4.0], [1.0, 0.0]]}
    ).normalize({"a": "l2"})
    assert_allclose(semantics.to_numpy("a"), [[0.6, 0.8], [1.0, 0.0]])
    assert_allclose(semantics.to_numpy("b"), [[3.0, 4.0], [1.0, 0.0]])


def test_multimodal_frames_aligned_by_label():
    """Check that DataFrame modalities are aligned on the labels, not on row order."""
    att = pd.DataFrame([[1.0], [2.0]], index=["cat", "dog"])
    wv = pd.DataFrame([[20.0, 0.0], [10.0, 0.0]], index=["dog", "cat"])
    semantics = ClassSemantics(["cat", "dog"], {"att": att, "wv": wv})
    assert_allclose(semantics.to_numpy(), [[1.0, 10.0, 0.0], [2.0, 20.0, 0.0]])
    frame = semantics.to_frame()
    assert list(frame.columns) == ["att_0", "wv_0", "wv_1"]
    assert list(frame.index) == ["cat", "dog"]


def test_opaque_to_sklearn_slicing():
    """Check that ClassSemantics is not array-like for scikit-learn's heuristics.

    scikit-learn slices every fit parameter that looks like an array with as
    many rows as X (issues #15805 and #30739); a ClassSemantics must pass through.
    """
    from sklearn.utils.validation import _check_method_params

    semantics = ClassSemantics([0, 1, 2, 3], np.eye(4))
    X = np.zeros((4, 2))
    params = _check_method_params(X, {"class_semantics": semantics}, indices=[0, 1])
    assert params["class_semantics"] is semantics


def test_pickle_round_trip():
    """Check that a ClassSemantics survives pickling."""
    semantics = ClassSemantics(["x", "y"], {"a": np.eye(2), "b": [[1.0], [2.0]]})
    assert pickle.loads(pickle.dumps(semantics)) == semantics


def test_y_coverage_names_missing_labels():
    """Check that labels of y without semantics are named in the error."""
    err_msg = r"No class semantics for the classes \['c', 'd'\] of y"
    with pytest.raises(ValueError, match=err_msg):
        check_class_semantics({"a": [0.0], "b": [1.0]}, y=["a", "c", "d", "b"])


BAD_INPUTS = [
    # (callable, exception, message fragment)
    (lambda: ClassSemantics([0, 0, 1], np.eye(3)), ValueError, "duplicate class"),
    (lambda: ClassSemantics([0, 1], [[np.nan], [1.0]]), ValueError, "NaN or infinite"),
    (lambda: ClassSemantics([0, 1], [[np.inf], [1.0]]), ValueError, "NaN or infinite"),
    (lambda: ClassSemantics([0, 1, 2], np.eye(2)), ValueError, "2 rows but there"),
    (lambda: ClassSemantics([0, 1], np.zeros((2, 0))), ValueError, "no dimension"),
    (lambda: ClassSemantics([0, 1], np.zeros((2, 2, 2))), ValueError, "must be 2-D"),
    (lambda: ClassSemantics([], np.zeros((0, 2))), ValueError, "no class given"),
    (lambda: ClassSemantics([0, "a"], np.eye(2)), TypeError, "mix strings"),
    (lambda: ClassSemantics("ab", np.eye(2)), TypeError, "1-D sequence"),
    (lambda: ClassSemantics([0, 1], {1: np.eye(2)}), TypeError, "names must be str"),
    (lambda: ClassSemantics([0, 1], {}), ValueError, "at least one modality"),
    (lambda: ClassSemantics([0, 1], [["a"], ["b"]]), ValueError, "numeric vector"),
    (
        lambda: ClassSemantics([0, 1], np.eye(2), normalize="zscore"),
        ValueError,
        "Unknown normalisation",
    ),
    (
        lambda: ClassSemantics([0, 1], np.eye(2), normalize=3),
        TypeError,
        "normalize must be",
    ),
    (
        lambda: ClassSemantics([0, 1], np.eye(2), normalize={"x": "l2"}),
        ValueError,
        "unknown modalities",
    ),
    (
        lambda: ClassSemantics([0, 1], np.zeros((2, 2)), normalize="l2"),
        ValueError,
        "all-zero class vector",
    ),
    (
        lambda: ClassSemantics(
            [0, 1], {"a": np.eye(2), "b": pd.DataFrame(np.eye(2), index=[0, 5])}
        ),
        ValueError,
        "indexed by other classes",
    ),
    (
        lambda: check_class_semantics([[0.0, 1.0], [1.0, 0.0]]),
        TypeError,
        "bare list or array carries no class labels",
    ),
    (lambda: check_class_semantics(np.eye(2)), TypeError, "carries no class labels"),
    (lambda: check_class_semantics("att"), TypeError, "class_semantics must be"),
    (
        lambda: check_class_semantics({0: [1.0, 2.0], 1: [1.0]}),
        ValueError,
        "different lengths",
    ),
    (
        lambda: check_class_semantics({0: [[1.0]], 1: [[1.0]]}),
        ValueError,
        "must be 1-D",
    ),
    (lambda: check_class_semantics({}), ValueError, "mapping is empty"),
    (
        lambda: check_class_semantics({0: [1.0], 1: [2.0]}, y=["0", "1"]),
        ValueError,
        "different types",
    ),
    (
        lambda: ClassSemantics([0, 1], np.eye(2)).select([0, 7]),
        ValueError,
        r"No semantics for classes \[7\]",
    ),
    (
        lambda: ClassSemantics([0, 1], np.eye(2)).to_numpy("wv"),
        KeyError,
        "Unknown modality",
    ),
    (lambda: ClassSemantics.from_dataframe(np.eye(2)), TypeError, "pandas.DataFrame"),
    (lambda: ClassSemantics.from_mapping([1, 2]), TypeError, "expects a dict"),
]


@pytest.mark.parametrize(("make", "error", "err_msg"), BAD_INPUTS)
def test_bad_inputs_raise_clear_errors(make, error, err_msg):
    """Check that each malformed semantics raises an error naming the problem."""
    with pytest.raises(error, match=err_msg):
        make()


label_lists = st.one_of(
    st.lists(st.integers(-50, 50), min_size=1, max_size=12, unique=True),
    st.lists(
        st.text("abcxyz", min_size=1, max_size=4), min_size=1, max_size=12, unique=True
    ),
)


@given(labels=label_lists, dim=st.integers(1, 5), seed=st.integers(0, 10_000))
def test_label_order_does_not_matter(labels, dim, seed):
    """Check that semantics given in any label order select to the same table."""
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(len(labels), dim))
    permutation = rng.permutation(len(labels))
    original = ClassSemantics(labels, matrix)
    shuffled = ClassSemantics([labels[i] for i in permutation], matrix[permutation])
    order = np.unique(np.asarray(labels))
    assert original.select(order) == shuffled.select(order)
    assert_array_equal(original.select(order).labels, order)
