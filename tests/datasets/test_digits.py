"""Tests for the digits zero-shot task (real images, hand-written attributes)."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklearn_zsl.datasets import load_zsl_digits
from sklearn_zsl.datasets._digits import _DIGIT_TABLE, DIGIT_ATTRIBUTES


def test_layout_and_split():
    """Check the Bunch: real pixels, attributes per digit, a class-disjoint split."""
    data = load_zsl_digits(unseen_classes=[9, 2, 5], random_state=0)
    assert data.data.shape == (1797, 64) and data.data.dtype == np.float32
    assert data.synthetic_features is False
    assert "real images" in data.DESCR
    assert_array_equal(data.unseen_classes, [2, 5, 9])
    assert_array_equal(data.seen_classes, [0, 1, 3, 4, 6, 7, 8])
    assert data.class_semantics.dims == {"attributes": len(DIGIT_ATTRIBUTES)}
    assert_array_equal(data.class_semantics.to_numpy(), _DIGIT_TABLE)
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


def test_attributes_describe_digits_differently():
    """Check that no two digits share an attribute vector, all in [0, 1]."""
    assert _DIGIT_TABLE.shape == (10, len(DIGIT_ATTRIBUTES))
    assert np.all((_DIGIT_TABLE >= 0) & (_DIGIT_TABLE <= 1))
    assert np.unique(_DIGIT_TABLE, axis=0).shape[0] == 10


@pytest.mark.parametrize(
    "unseen, err_msg",
    [([10], "digits among 0-9"), ([], "digits among 0-9"), (range(9), "two digits")],
)
def test_bad_unseen_classes(unseen, err_msg):
    """Check the errors on unseen classes that are not digits or leave too few."""
    with pytest.raises(ValueError, match=err_msg):
        load_zsl_digits(unseen_classes=list(unseen))
