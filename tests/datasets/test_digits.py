"""Tests for the digits zero-shot task (real images, hand-written descriptions)."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklearn_zsl.datasets import load_zsl_digits
from sklearn_zsl.datasets._digits import (
    _DIGIT_TABLE,
    _SEGMENT_TABLE,
    DIGIT_ATTRIBUTES,
    DIGIT_SEGMENTS,
)


def test_layout_and_split():
    """Check the Bunch: real pixels, segments per digit, a class-disjoint split."""
    data = load_zsl_digits(unseen_classes=[9, 2, 5], random_state=0)
    assert data.data.shape == (1797, 64) and data.data.dtype == np.float32
    assert data.synthetic_features is False
    assert "real images" in data.DESCR
    assert_array_equal(data.unseen_classes, [2, 5, 9])
    assert_array_equal(data.seen_classes, [0, 1, 3, 4, 6, 7, 8])
    assert data.class_semantics.dims == {"segments": 7}
    assert_array_equal(data.class_semantics.to_numpy(), _SEGMENT_TABLE)
    assert_array_equal(data.attribute_names, list(DIGIT_SEGMENTS))
    y = data.target
    parts = [data.trainval_indices, data.test_seen_indices, data.test_unseen_indices]
    assert sum(part.size for part in parts) == y.size
    assert np.unique(np.concatenate(parts)).size == y.size
    assert set(y[data.test_unseen_indices]) == {2, 5, 9}
    assert not np.isin(y[data.trainval_indices], [2, 5, 9]).any()
    # about a fifth of each seen digit's images is test-seen
    share = data.test_seen_indices.size / (y.size - data.test_unseen_indices.size)
    assert 0.18 < share < 0.22
    for train, val in data.validation_folds:
        assert not np.intersect1d(y[train], y[val]).size


@pytest.mark.parametrize(
    "semantics, dims",
    [
        ("attributes", {"attributes": 14}),
        ("both", {"segments": 7, "attributes": 14}),
    ],
)
def test_semantics_choice(semantics, dims):
    """Check each description: its modalities, columns, table and DESCR."""
    data = load_zsl_digits(semantics=semantics, random_state=0)
    assert data.class_semantics.dims == dims
    assert data.attribute_names.size == sum(dims.values())
    assert_array_equal(data.class_semantics.to_numpy("attributes"), _DIGIT_TABLE)
    assert "has two closed loops" in data.DESCR
    assert ("seven-segment" in data.DESCR) == (semantics == "both")
    # the split does not depend on the description
    default = load_zsl_digits(random_state=0)
    assert_array_equal(data.trainval_indices, default.trainval_indices)


def test_segments_are_the_seven_segment_display():
    """Check a few digits' lit segments by hand: 1, 7 and 8."""
    segments = dict(zip(DIGIT_SEGMENTS, _SEGMENT_TABLE.T, strict=True))
    assert {name for name, lit in segments.items() if lit[1]} == {
        "upper_right",
        "lower_right",
    }
    assert {name for name, lit in segments.items() if lit[7]} == {
        "top",
        "upper_right",
        "lower_right",
    }
    assert _SEGMENT_TABLE[8].sum() == 7


@pytest.mark.parametrize("table", [_DIGIT_TABLE, _SEGMENT_TABLE])
def test_descriptions_tell_digits_apart(table):
    """Check that no two digits share a description, all in [0, 1]."""
    assert table.shape[0] == 10
    assert table.shape[1] in (len(DIGIT_ATTRIBUTES), len(DIGIT_SEGMENTS))
    assert np.all((table >= 0) & (table <= 1))
    assert np.unique(table, axis=0).shape[0] == 10


@pytest.mark.parametrize(
    "unseen, err_msg",
    [([10], "digits among 0-9"), ([], "digits among 0-9"), (range(9), "two digits")],
)
def test_bad_unseen_classes(unseen, err_msg):
    """Check the errors on unseen classes that are not digits or leave too few."""
    with pytest.raises(ValueError, match=err_msg):
        load_zsl_digits(unseen_classes=list(unseen))


def test_bad_semantics():
    """Check that an unknown description is refused with the valid ones named."""
    with pytest.raises(ValueError, match="segments"):
        load_zsl_digits(semantics="pixels")
