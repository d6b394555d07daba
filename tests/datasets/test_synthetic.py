"""Tests of the synthetic and semi-synthetic zero-shot data generators."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Ridge
from sklearn.metrics import balanced_accuracy_score
from sklearn.neural_network import MLPRegressor

from sklearn_zsl import ClassSemantics
from sklearn_zsl.datasets import (
    load_xlsa17,
    make_zsl_classification,
    make_zsl_from_semantics,
    make_zsl_from_xlsa17,
)


def _prototypes(model, X, y, semantics, seen):
    """Fit ``model`` from semantics to the seen class means; predict all classes."""
    means = np.array([X[y == c].mean(axis=0) for c in seen])
    return model.fit(semantics[seen], means).predict(semantics)


def _nearest(X, prototypes, candidates):
    distances = ((X[:, None, :] - prototypes[None, candidates]) ** 2).sum(axis=-1)
    return candidates[distances.argmin(axis=1)]


def _per_class_accuracy(y_true, y_pred):
    """Mean over the classes of y_true of the per-class top-1 accuracy."""
    return np.mean([np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true)])


def _zsl_accuracy(model, X, y, class_semantics, unseen, modality=None):
    semantics = class_semantics.to_numpy(modality)
    seen = np.setdiff1d(np.unique(y), unseen)
    prototypes = _prototypes(model, X, y, semantics, seen)
    test = np.isin(y, unseen)
    return balanced_accuracy_score(y[test], _nearest(X[test], prototypes, unseen))


def test_make_zsl_classification_outputs():
    """Check the 4-tuple: shapes, dtypes, labels, semantics and unseen classes."""
    X, y, semantics, unseen = make_zsl_classification(
        n_classes=12, n_unseen=3, n_samples_per_class=7, n_features=9, random_state=0
    )
    assert X.shape == (84, 9) and X.dtype == np.float32
    assert y.dtype.kind == "i"
    assert_array_equal(np.bincount(y), np.full(12, 7))
    assert isinstance(semantics, ClassSemantics)
    assert semantics.dims == {"attributes": 16}
    assert_array_equal(semantics.labels, np.arange(12))
    assert ((semantics.to_numpy() > 0) & (semantics.to_numpy() < 1)).all()
    assert unseen.shape == (3,) and np.all(np.diff(unseen) > 0)
    assert np.isin(unseen, y).all()
    # Samples come shuffled, not grouped by class.
    assert np.any(np.diff(y) < 0)
    assert np.all(np.isfinite(X))


def test_make_zsl_classification_is_deterministic():
    """Check that an int random_state gives identical outputs, another seed not."""
    first = make_zsl_classification(n_semantics=(5, 3), random_state=3)
    second = make_zsl_classification(n_semantics=(5, 3), random_state=3)
    other = make_zsl_classification(n_semantics=(5, 3), random_state=4)
    for a, b in zip(first, second, strict=True):
        if isinstance(a, ClassSemantics):
            assert a == b
        else:
            assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


def test_modalities_are_named_and_complementary():
    """Check modality names and that fusing them beats each one (ridge ZSL)."""
    scores = []
    for seed in range(4):
        X, y, semantics, unseen = make_zsl_classification(
            n_semantics=(16, 16), random_state=seed
        )
        assert semantics.names == ("attributes", "modality_1")
        single = [
            _zsl_accuracy(Ridge(alpha=1.0), X, y, semantics, unseen, name)
            for name in semantics.names
        ]
        fused = _zsl_accuracy(Ridge(alpha=1.0), X, y, semantics, unseen)
        scores.append(single + [fused])
    mean = np.mean(scores, axis=0)
    assert mean[2] > mean[0] + 0.05 and mean[2] > mean[1] + 0.05
    _, _, three, _ = make_zsl_classification(n_semantics=(4, 5, 6), random_state=0)
    assert three.dims == {"attributes": 4, "modality_1": 5, "modality_2": 6}


def test_linear_baseline_is_well_above_chance_but_not_perfect():
    """Check that ridge ZSL on the defaults is learnable but not trivial."""
    scores = []
    for seed in range(4):
        X, y, semantics, unseen = make_zsl_classification(random_state=seed)
        scores.append(_zsl_accuracy(Ridge(alpha=1.0), X, y, semantics, unseen))
    chance = 1 / 10
    assert min(scores) > 4 * chance
    assert max(scores) < 0.95


def test_nonlinear_model_beats_linear_with_many_seen_classes():
    """Check that an MLP from semantics to features beats ridge regression."""
    gains = []
    for seed in range(3):
        X, y, semantics, unseen = make_zsl_classification(
            n_classes=200, n_unseen=40, n_samples_per_class=10, random_state=seed
        )
        linear = _zsl_accuracy(Ridge(alpha=1.0), X, y, semantics, unseen)
        mlp = MLPRegressor(
            hidden_layer_sizes=(128,),
            alpha=1e-2,
            solver="lbfgs",
            max_iter=1000,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            nonlinear = _zsl_accuracy(mlp, X, y, semantics, unseen)
        gains.append(nonlinear - linear)
    assert min(gains) > 0, gains
    assert np.mean(gains) > 0.04, gains


def test_generalised_zsl_shows_seen_class_bias():
    """Check that GZSL predictions lean towards the seen classes."""
    X, y, semantics, unseen = make_zsl_classification(random_state=0)
    rng = np.random.RandomState(0)
    is_unseen = np.isin(y, unseen)
    test_seen = ~is_unseen & (rng.rand(y.size) < 0.2)
    train = ~is_unseen & ~test_seen
    seen = np.setdiff1d(np.unique(y), unseen)
    prototypes = _prototypes(
        Ridge(alpha=1.0), X[train], y[train], semantics.to_numpy(), seen
    )
    # A supervised model knows the seen classes' means, offsets included.
    prototypes[seen] = [X[train & (y == c)].mean(axis=0) for c in seen]
    y_pred = _nearest(X, prototypes, np.arange(semantics.n_classes))
    unseen_as_seen = np.isin(y_pred[is_unseen], seen).mean()
    seen_as_unseen = np.isin(y_pred[test_seen], unseen).mean()
    assert unseen_as_seen > 0.3
    assert unseen_as_seen > 3 * seen_as_unseen
    acc_seen = _per_class_accuracy(y[test_seen], y_pred[test_seen])
    acc_unseen = _per_class_accuracy(y[is_unseen], y_pred[is_unseen])
    assert acc_seen > acc_unseen + 0.2


def test_class_variation_controls_transfer():
    """Check that the class offsets the semantics miss make unseen classes harder."""
    mean_scores = []
    for class_variation in (0.0, 1.5):
        scores = [
            _zsl_accuracy(
                Ridge(alpha=1.0),
                *make_zsl_classification(
                    class_variation=class_variation, random_state=s
                ),
            )
            for s in range(3)
        ]
        mean_scores.append(np.mean(scores))
    assert mean_scores[0] > mean_scores[1] + 0.1


def test_generator_without_noise_is_a_function_of_the_class():
    """Check the maths: no noise gives one point per class; no nonlinearity, an
    affine map of the semantics."""
    rng = np.random.RandomState(0)
    semantics = ClassSemantics(np.arange(12), {"s": rng.rand(12, 5)})
    params = {"noise": 0.0, "class_variation": 0.0, "within_class_spread": 0.0}
    data = make_zsl_from_semantics(
        semantics,
        unseen_classes=[0, 1],
        n_samples_per_class=3,
        random_state=0,
        **params,
    )
    for label in range(12):
        rows = data.data[data.target == label]
        assert_allclose(rows, np.broadcast_to(rows[0], rows.shape), atol=1e-6)
    linear = make_zsl_from_semantics(
        semantics,
        unseen_classes=[0, 1],
        n_samples_per_class=1,
        nonlinearity=0.0,
        random_state=0,
        **params,
    )
    order = np.argsort(linear.target)
    design = np.hstack([semantics.to_numpy(), np.ones((12, 1))])
    coef, *_ = np.linalg.lstsq(design, linear.data[order], rcond=None)
    assert_allclose(design @ coef, linear.data[order], atol=1e-4)
    curved = make_zsl_from_semantics(
        semantics,
        unseen_classes=[0, 1],
        n_samples_per_class=1,
        random_state=0,
        **params,
    )
    coef, *_ = np.linalg.lstsq(design, curved.data[order], rcond=None)
    assert np.abs(design @ coef - curved.data[order]).max() > 0.1


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_classes": 5, "n_unseen": 4}, "leaves fewer than 2 seen classes"),
        ({"n_semantics": (4, 0)}, "non-empty tuple of positive ints"),
        ({"n_semantics": ()}, "non-empty tuple of positive ints"),
        ({"noise": -1.0}, "'noise' parameter"),
        ({"nonlinearity": 2.0}, "'nonlinearity' parameter"),
        ({"n_classes": 2}, "'n_classes' parameter"),
    ],
)
def test_make_zsl_classification_invalid_parameters(params, match):
    """Check that invalid parameters raise ValueErrors naming them."""
    with pytest.raises(ValueError, match=match):
        make_zsl_classification(**params)


# -- semi-synthetic -----------------------------------------------------------------
@pytest.fixture
def small_semantics():
    rng = np.random.RandomState(0)
    return ClassSemantics(
        [f"class_{i}" for i in range(10)],
        {"attributes": rng.rand(10, 6), "text": rng.randn(10, 4)},
    )


def _check_layout(data):
    """Invariants shared by every Bunch of the generators."""
    parts = [data.trainval_indices, data.test_seen_indices, data.test_unseen_indices]
    everything = np.concatenate(parts)
    assert np.unique(everything).size == everything.size == data.data.shape[0]
    assert set(data.target[data.test_unseen_indices]) == set(data.unseen_classes)
    assert set(data.target[data.trainval_indices]) == set(data.seen_classes)
    assert set(data.target[data.test_seen_indices]) <= set(data.seen_classes)
    test_seen = set(data.test_seen_indices.tolist())
    for train, val in data.validation_folds:
        assert not test_seen & (set(train.tolist()) | set(val.tolist()))
        assert not set(data.target[train]) & set(data.target[val])
        assert np.isin(np.concatenate([train, val]), data.trainval_indices).all()
    assert data.synthetic_features
    assert "synthetic features" in data.DESCR.splitlines()[0]
    assert data.data.dtype == np.float32


def test_make_zsl_from_semantics_layout(small_semantics):
    """Check the Bunch: fields, split, folds and the synthetic-features notice."""
    data = make_zsl_from_semantics(
        small_semantics,
        unseen_classes=["class_3", "class_7"],
        n_samples_per_class=10,
        n_features=8,
        random_state=0,
    )
    _check_layout(data)
    assert data.data.shape == (100, 8)
    assert_array_equal(data.unseen_classes, ["class_3", "class_7"])
    assert data.seen_classes.size == 8
    assert data.test_seen_indices.size == 8 * 2  # 20% of 10 per seen class
    assert len(data.validation_folds) == 3
    vals = np.concatenate([val for _, val in data.validation_class_folds])
    assert_array_equal(np.sort(vals), data.seen_classes)
    assert data.class_semantics == small_semantics
    assert data.class_counts == {f"class_{i}": 10 for i in range(10)}
    again = make_zsl_from_semantics(
        small_semantics,
        unseen_classes=["class_3", "class_7"],
        n_samples_per_class=10,
        n_features=8,
        random_state=0,
    )
    assert_array_equal(again.data, data.data)
    assert_array_equal(again.test_seen_indices, data.test_seen_indices)


def test_make_zsl_from_semantics_counts_and_forms(small_semantics):
    """Check per-class counts (dict, array) and DataFrame semantics."""
    counts = {f"class_{i}": i + 2 for i in range(10)}
    data = make_zsl_from_semantics(
        small_semantics,
        unseen_classes=["class_0"],
        n_samples_per_class=counts,
        n_validation_folds=0,
        random_state=1,
    )
    assert data.class_counts == counts
    assert data.validation_folds == []
    _check_layout(data)
    frame = pd.DataFrame(small_semantics.to_numpy(), index=small_semantics.labels)
    data = make_zsl_from_semantics(
        frame,
        unseen_classes=["class_9"],
        n_samples_per_class=np.arange(10) + 1,
        test_seen_size=0.5,
        random_state=1,
    )
    assert [data.class_counts[f"class_{i}"] for i in range(10)] == list(range(1, 11))
    # One sample: no test-seen sample; two or more: at least one.
    assert "class_0" not in set(data.target[data.test_seen_indices])
    assert "class_1" in set(data.target[data.test_seen_indices])
    _check_layout(data)


def test_make_zsl_from_semantics_given_folds(small_semantics):
    """Check user-given class folds (e.g. from load_xlsa17)."""
    folds = [(["class_0", "class_1", "class_2"], ["class_4"])]
    data = make_zsl_from_semantics(
        small_semantics,
        unseen_classes=["class_9"],
        validation_class_folds=folds,
        random_state=0,
    )
    train, val = data.validation_folds[0]
    assert set(data.target[val]) == {"class_4"}
    assert set(data.target[train]) == {"class_0", "class_1", "class_2"}


@pytest.mark.parametrize(
    "params, match",
    [
        ({"unseen_classes": ["nope"]}, "have no class semantics"),
        ({"unseen_classes": []}, "unseen_classes is empty"),
        (
            {"unseen_classes": [f"class_{i}" for i in range(9)]},
            "leave at least 2 classes",
        ),
        (
            {"unseen_classes": ["class_0"], "n_samples_per_class": {"class_1": 3}},
            "no count for the classes",
        ),
        (
            {"unseen_classes": ["class_0"], "n_samples_per_class": [3, 4]},
            "one count per class",
        ),
        (
            {"unseen_classes": ["class_0"], "n_samples_per_class": np.zeros(10, int)},
            "at least 1",
        ),
        (
            {
                "unseen_classes": ["class_0"],
                "validation_class_folds": [(["class_0"], ["class_1"])],
            },
            "not seen",
        ),
        (
            {"unseen_classes": ["class_0"], "validation_class_folds": [(["class_1"],)]},
            "must be a pair",
        ),
        (
            {"unseen_classes": ["class_0"], "n_validation_folds": 10},
            "too few for n_validation_folds=10",
        ),
    ],
)
def test_make_zsl_from_semantics_errors(small_semantics, params, match):
    """Check that inconsistent arguments raise ValueErrors with a fix."""
    with pytest.raises(ValueError, match=match):
        make_zsl_from_semantics(small_semantics, **params)


# -- real semantics -----------------------------------------------------------------
@pytest.fixture(scope="module")
def xlsa17_dir(shared_zsl_dir):
    path = os.path.join(shared_zsl_dir, "xlsa17")
    if not os.path.isdir(path):
        pytest.skip(f"xlsa17 split files not found at {path}")
    return path


def test_make_zsl_from_semantics_with_real_cub(xlsa17_dir, shared_zsl_dir):
    """Check real CUB semantics with its real per-class counts."""
    split = load_xlsa17(
        xlsa17_dir,
        "CUB",
        features=None,
        metadata_dir=os.path.join(shared_zsl_dir, "cub_200_2011"),
    )
    data = make_zsl_from_semantics(
        split.class_semantics,
        unseen_classes=split.unseen_classes,
        n_samples_per_class=split.class_counts,
        validation_class_folds=split.validation_class_folds,
        random_state=0,
    )
    _check_layout(data)
    assert data.data.shape == (11788, 64)
    assert data.class_counts == split.class_counts
    assert data.test_unseen_indices.size == split.test_unseen_indices.size
    assert abs(data.test_seen_indices.size - split.test_seen_indices.size) < 30
    assert len(data.validation_folds) == 3


@pytest.mark.parametrize(
    "name, metadata",
    [
        ("AWA1", None),
        ("AWA2", "awa2_base"),
        ("CUB", "cub_200_2011"),
        ("SUN", None),
        ("APY", None),
    ],
)
def test_make_zsl_from_xlsa17(xlsa17_dir, shared_zsl_dir, name, metadata):
    """Check semi-synthetic versions of the five real datasets."""
    metadata_dir = None if metadata is None else os.path.join(shared_zsl_dir, metadata)
    data = make_zsl_from_xlsa17(
        xlsa17_dir, name, metadata_dir=metadata_dir, n_features=16, random_state=0
    )
    split = load_xlsa17(xlsa17_dir, name, features=None, metadata_dir=metadata_dir)
    _check_layout(data)
    assert data.name == name
    assert data.data.shape == (sum(split.class_counts.values()), 16)
    assert data.class_counts == split.class_counts
    assert_array_equal(data.unseen_classes, split.unseen_classes)
    assert data.class_semantics == split.class_semantics
    assert f"xlsa17 {name}" in data.DESCR
    if metadata is not None:  # every image's class is known: the real split is kept
        assert_array_equal(data.target, split.target)
        assert_array_equal(data.test_seen_indices, split.test_seen_indices)
        assert_array_equal(data.validation_folds[0][1], split.validation_folds[0][1])
        assert data.class_counts_source == "per-image labels"
    else:
        assert data.test_unseen_indices.size == split.test_unseen_indices.size
        assert data.class_counts_source.startswith("uniform")


def test_make_zsl_from_xlsa17_rejects_invalid_parameters(xlsa17_dir):
    """Check that misspelt or invalid generator parameters are errors."""
    with pytest.raises(TypeError, match="n_feature"):
        make_zsl_from_xlsa17(xlsa17_dir, "APY", n_feature=3)
    with pytest.raises(ValueError, match="'noise' parameter"):
        make_zsl_from_xlsa17(xlsa17_dir, "APY", noise=-1.0)
