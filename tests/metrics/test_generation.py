"""Tests of generation_quality, the diagnostic of generated features."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state

from sklearn_zsl import ClassSemantics
from sklearn_zsl.generative import GFZSLClassifier
from sklearn_zsl.metrics import _generation, generation_quality


class _FixedGenerator(BaseEstimator):
    """A fake fitted generator: class c yields ``centres[c] + scale * noise``."""

    def __init__(self, centres, scale=1.0):
        self.centres = centres
        self.scale = scale
        self.classes_ = np.arange(len(centres))
        self.n_features_in_ = np.shape(centres)[1]

    def fit(self, X=None, y=None):
        return self

    def sample(self, classes, n_samples=1, *, random_state=None):
        rng = check_random_state(random_state)
        y = np.repeat(classes, n_samples)
        centres = np.asarray(self.centres, dtype=float)[y]
        return centres + self.scale * rng.standard_normal(centres.shape), y


def _gaussian_classes(n_per_class=300, seed=0):
    """Four round Gaussian classes in 6 dimensions, unit within-class spread."""
    rng = np.random.RandomState(seed)
    centres = 4.0 * rng.randn(4, 6)
    y = np.repeat(np.arange(4), n_per_class)
    return centres[y] + rng.randn(y.size, 6), y, centres


@pytest.fixture(scope="module")
def gfzsl_on_gaussians():
    """GFZSL fitted on half of the Gaussian data; the other half held out."""
    X, y, centres = _gaussian_classes()
    train = np.arange(y.size) % 2 == 0
    semantics = ClassSemantics(np.arange(4), centres[:, :3])
    clf = GFZSLClassifier(covariance="diag", random_state=0)
    clf.fit(X[train], y[train], class_semantics=semantics)
    return clf, X[~train], y[~train]


def test_good_generator_scores_well(gfzsl_on_gaussians):
    """Check small distances, unit spread ratios and an MMD below the baseline."""
    clf, X, y = gfzsl_on_gaussians
    quality = generation_quality(clf, X, y, random_state=0)
    assert_array_equal(quality.classes, np.arange(4))
    assert quality.relative_mean_distance < 0.2
    assert_allclose(quality.spread_ratio, 1.0, atol=0.15)
    assert abs(quality.mmd) < 0.2 * quality.mmd_baseline
    assert_array_equal(quality.n_generated, [150] * 4)


@pytest.mark.parametrize(
    "shift, scale, what",
    [(3.0, 1.0, "shifted"), (0.0, 0.05, "collapsed")],
)
def test_wrong_generator_scores_badly(shift, scale, what):
    """Check that shifted or collapsed classes show in the diagnostic."""
    X, y, centres = _gaussian_classes()
    good = generation_quality(_FixedGenerator(centres), X, y, random_state=0)
    bad = generation_quality(
        _FixedGenerator(centres + shift, scale=scale), X, y, random_state=0
    )
    assert good.relative_mean_distance < 0.1
    assert_allclose(good.spread_ratio, 1.0, atol=0.15)
    if what == "shifted":
        assert bad.relative_mean_distance > 0.5
        assert bad.mmd > 3 * good.mmd_baseline
    else:
        # the pooled MMD, its bandwidth set by the distances between classes,
        # barely sees collapsed classes: spread_ratio does
        assert np.all(bad.spread_ratio < 0.1)
        assert bad.mmd > good.mmd


def test_mean_distance_by_hand():
    """Check mean_distance and spread_ratio on a fixture computed by hand.

    Real class 0: rows (0, 0), (2, 0), mean (1, 0); class 1: rows (0, 4),
    (0, 6), mean (0, 5). Grand mean (0.5, 2.5): each class mean lies at
    sqrt(0.25 + 6.25) = sqrt(6.5) from it, so class_spread = sqrt(6.5).
    Generated (noise-free) centres (1, 3) and (0, 5): distances 3 and 0.
    Real per-feature stds (ddof=1): class 0 (sqrt 2, 0), class 1 (0, sqrt 2).
    """
    X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 4.0], [0.0, 6.0]])
    y = np.array([0, 0, 1, 1])
    generator = _FixedGenerator([[1.0, 3.0], [0.0, 5.0]], scale=0.0)
    quality = generation_quality(generator, X, y, random_state=0)
    assert_allclose(quality.class_spread, np.sqrt(6.5))
    assert_allclose(quality.mean_distance, [3 / np.sqrt(6.5), 0.0])
    assert_allclose(quality.relative_mean_distance, 1.5 / np.sqrt(6.5))
    assert_allclose(quality.spread_ratio, [0.0, 0.0])
    # trace of the real covariance 2 per class, times 1/2 + 1/2: sqrt(2 / 6.5)
    assert_allclose(quality.mean_distance_floor, [np.sqrt(2 / 6.5)] * 2)


def test_perfect_generator_sits_at_the_noise_floor():
    """Check that a generator of the true distribution meets mean_distance_floor."""
    X, y, centres = _gaussian_classes(n_per_class=20)
    distances, floors = [], []
    for seed in range(20):
        quality = generation_quality(_FixedGenerator(centres), X, y, random_state=seed)
        distances.append(quality.mean_distance)
        floors.append(quality.mean_distance_floor)
    ratio = np.sqrt(np.mean(np.square(distances))) / np.mean(floors)
    assert 0.7 < ratio < 1.4, ratio


def test_n_samples_and_reproducibility(gfzsl_on_gaussians):
    """Check n_samples per class and identical results for an int seed."""
    clf, X, y = gfzsl_on_gaussians
    first = generation_quality(clf, X, y, n_samples=50, random_state=3)
    second = generation_quality(clf, X, y, n_samples=50, random_state=3)
    assert_array_equal(first.n_generated, [50] * 4)
    assert_array_equal(first.mean_distance, second.mean_distance)
    assert first.mmd == second.mmd


def test_mmd_subsamples_large_inputs(gfzsl_on_gaussians, monkeypatch):
    """Check that the MMD uses at most _MMD_MAX_ROWS rows of each set."""
    clf, X, y = gfzsl_on_gaussians
    sizes = []
    # patch the globals the function runs with, whichever module object they are
    namespace = generation_quality.__wrapped__.__globals__
    original = namespace["_squared_distances"]

    def recording(A, B):
        sizes.append((A.shape[0], B.shape[0]))
        return original(A, B)

    monkeypatch.setitem(namespace, "_MMD_MAX_ROWS", 100)
    monkeypatch.setitem(namespace, "_squared_distances", recording)
    generation_quality(clf, X, y, random_state=0)
    assert max(max(pair) for pair in sizes) == 100


def test_unbiased_mmd_of_identical_distributions_is_near_zero():
    """Check the MMD estimate on two samples of one distribution."""
    rng = np.random.RandomState(0)
    mmd, baseline = _generation._mmd_with_baseline(
        rng.randn(400, 3), rng.randn(400, 3), rng
    )
    assert abs(mmd) < 0.01 and abs(baseline) < 0.01


@pytest.mark.parametrize(
    "estimator, X, y, err_msg",
    [
        (
            LogisticRegression(),
            np.zeros((4, 2)),
            [0, 0, 1, 1],
            "LogisticRegression has no sample method",
        ),
        (
            GFZSLClassifier(),
            np.zeros((4, 2)),
            [0, 0, 1, 1],
            "GFZSLClassifier is not fitted",
        ),
        (
            _FixedGenerator([[0.0, 0.0], [1.0, 1.0]]),
            np.zeros((4, 2)),
            [0, 0, 7, 7],
            "Unknown labels [7]",
        ),
        (
            _FixedGenerator([[0.0, 0.0], [1.0, 1.0]]),
            np.zeros((3, 2)),
            [0, 0, 1],
            "Classes [1] have fewer than 2 samples",
        ),
        (
            _FixedGenerator([[0.0, 0.0], [1.0, 1.0]]),
            np.zeros((3, 2)),
            [0, 0, 0],
            "give at least 2 classes",
        ),
        (
            _FixedGenerator([[0.0, 0.0], [1.0, 1.0]]),
            np.zeros((4, 3)),
            [0, 0, 1, 1],
            "X has 3 features",
        ),
        (
            _FixedGenerator([[0.0, 0.0], [1.0, 1.0]]),
            np.zeros((4, 2)),
            [0, 0, 1],
            "y must be 1-D with one label per row",
        ),
        (
            _FixedGenerator([[0.0, 0.0], [1.0, 1.0]]),
            np.zeros((4, 2)),
            [0, 0, 1, 1],
            "The real class means are all equal",
        ),
    ],
)
def test_invalid_inputs_raise(estimator, X, y, err_msg):
    """Check the clear errors on unusable estimators and data."""
    with pytest.raises(ValueError, match=re.escape(err_msg)):
        generation_quality(estimator, X, y)
