"""Tests of DEMClassifier and of the torch plumbing it shares."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle
import warnings

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal
from scipy.spatial.distance import cdist
from scipy.special import softmax
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks
from skorch.callbacks import Callback

from sklearn_zsl import ClassSemantics
from sklearn_zsl.datasets import make_zsl_classification
from sklearn_zsl.embedding import DEMClassifier
from sklearn_zsl.embedding import _dem as dem_module
from sklearn_zsl.metrics import gzsl_scores, per_class_accuracy_score
from sklearn_zsl.utils import (
    resolve_device,
    stratified_validation_indices,
    torch_seeded,
)

#: Test-sized parameters: a few hundred rows fit in well under a second.
# seen_penalty=0: the tests below check the raw scores (see the "auto" test)
FAST = {
    "hidden_layer_sizes": (32,),
    "batch_size": 64,
    "random_state": 0,
    "seen_penalty": 0.0,
}
CUDA = torch.cuda.is_available()


@pytest.fixture(scope="module")
def data():
    """Twelve classes, three unseen, 16 features, 40 samples per class."""
    X, y, semantics, unseen = make_zsl_classification(
        12, 3, 40, n_features=16, n_semantics=8, random_state=0
    )
    train = ~np.isin(y, unseen)
    return X[train], y[train], X[~train], y[~train], semantics, unseen


@pytest.fixture(scope="module")
def fitted(data):
    """A DEM fitted once, shared by the tests that only read it."""
    X_train, y_train, _, _, semantics, _ = data
    return DEMClassifier(**FAST).fit(X_train, y_train, class_semantics=semantics)


def test_zsl_accuracy_far_above_chance(fitted, data):
    """Check zero-shot accuracy on the unseen classes: at least 0.6, chance 1/3.

    ``make_zsl_classification`` adds class offsets the semantics cannot
    explain, so unseen classes are not perfectly separable; ESZSL reaches
    about 0.7 on this split.
    """
    _, _, X_test, y_test, _, unseen = data
    y_pred = fitted.predict(X_test, candidates=unseen)
    assert set(y_pred) <= set(unseen)
    assert per_class_accuracy_score(y_test, y_pred) >= 0.6


def test_seen_accuracy_and_gzsl(fitted, data):
    """Check that seen classes are learnt (>= 0.8) and GZSL predicts any class."""
    X_train, y_train, X_test, _, _, _ = data
    assert per_class_accuracy_score(y_train, fitted.predict(X_train)) >= 0.8
    assert set(fitted.predict(X_test)) <= set(fitted.classes_)


def test_auto_seen_penalty_balances_gzsl(fitted, data):
    """Check the default seen_penalty="auto" against no penalty."""
    X_train, y_train, X_test, y_test, semantics, _ = data
    auto = clone(fitted).set_params(seen_penalty="auto")
    auto.fit(X_train, y_train, class_semantics=semantics)
    assert auto.seen_penalty_ > 0
    # the calibration fit is a clone's: the final network is the same
    assert_allclose(auto.prototypes_, fitted.prototypes_)
    # seen samples from training (optimistic for S) and the unseen test samples
    X_mix = np.vstack([X_train[::4], X_test])
    y_mix = np.concatenate([y_train[::4], y_test])
    h = {
        name: gzsl_scores(y_mix, clf.predict(X_mix), seen_classes=clf.seen_classes_)
        for name, clf in [("auto", auto), ("zero", fitted)]
    }
    assert h["auto"]["H"] > h["zero"]["H"] + 0.1
    assert h["auto"]["acc_unseen"] > h["zero"]["acc_unseen"]


def test_fitted_attributes(fitted, data):
    """Check the fitted state: classes, prototypes, scalings, history."""
    X_train, y_train, _, _, semantics, unseen = data
    assert_array_equal(fitted.classes_, np.arange(12))
    assert_array_equal(fitted.unseen_classes_, unseen)
    assert fitted.prototypes_.shape == (12, 16)
    assert fitted.prototypes_.dtype == np.float32
    assert_allclose(fitted.feature_shift_, X_train.min(axis=0))
    assert_allclose(
        fitted.feature_scale_, np.sqrt(X_train.var(axis=0).mean()), rtol=1e-5
    )
    seen_rows = semantics.to_numpy()[np.isin(semantics.labels, y_train)]
    assert_allclose(fitted.semantics_mean_, seen_rows.mean(axis=0))
    assert_allclose(fitted.semantics_scale_, seen_rows.std(axis=0))
    assert fitted.device_ == "cpu"
    assert 1 <= fitted.best_epoch_ <= fitted.n_iter_ == len(fitted.net_.history)
    # The prototypes above the feature minimum: the output ReLU at work.
    assert np.all(fitted.prototypes_ >= fitted.feature_shift_ - 1e-5)


def test_prototypes_are_the_network_output(fitted):
    """Check that prototypes_ is the embedded standardised semantics, rescaled."""
    values = fitted.class_semantics_.to_numpy()
    standardised = (values - fitted.semantics_mean_) / fitted.semantics_scale_
    with torch.no_grad():
        out = fitted.net_.module_.network(
            torch.tensor(standardised, dtype=torch.float32)
        )
    expected = out.numpy() * fitted.feature_scale_ + fitted.feature_shift_
    assert_allclose(fitted.prototypes_, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_decision_function_is_minus_the_distance(data, metric):
    """Check scores against SciPy's distances to the prototypes, in float64."""
    X_train, y_train, X_test, _, semantics, _ = data
    clf = DEMClassifier(metric=metric, max_epochs=5, **FAST)
    clf.fit(X_train, y_train, class_semantics=semantics)
    expected = -cdist(
        X_test.astype(np.float64), clf.prototypes_.astype(np.float64), metric=metric
    )
    assert_allclose(clf.decision_function(X_test), expected, rtol=1e-4, atol=1e-4)
    assert_array_equal(clf.predict(X_test), clf.classes_[np.argmax(expected, axis=1)])


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_both_metrics_learn(data, metric):
    """Check that both metrics give zero-shot accuracy far above chance."""
    X_train, y_train, X_test, y_test, semantics, unseen = data
    clf = DEMClassifier(metric=metric, **FAST)
    clf.fit(X_train, y_train, class_semantics=semantics)
    y_pred = clf.predict(X_test, candidates=unseen)
    assert per_class_accuracy_score(y_test, y_pred) >= 0.6


def test_predict_is_the_argmax_of_decision_function(fitted, data):
    """Check the chunked predict against decision_function, with its options."""
    _, _, X_test, _, _, unseen = data
    scores = fitted.decision_function(X_test)
    assert_array_equal(fitted.predict(X_test), fitted.classes_[scores.argmax(axis=1)])
    restricted = np.where(np.isin(fitted.classes_, unseen), scores, -np.inf)
    assert_array_equal(
        fitted.predict(X_test, candidates=unseen),
        fitted.classes_[restricted.argmax(axis=1)],
    )
    penalised = clone(fitted).set_params(seen_penalty=0.5)
    vars(penalised).update({k: v for k, v in vars(fitted).items() if k.endswith("_")})
    seen = np.isin(fitted.classes_, fitted.seen_classes_)
    assert_allclose(penalised.decision_function(X_test), scores - 0.5 * seen)
    assert_array_equal(
        penalised.predict(X_test),
        fitted.classes_[(scores - 0.5 * seen).argmax(axis=1)],
    )


def test_chunks_do_not_change_the_scores(fitted, data, monkeypatch):
    """Check that scoring 7 rows at a time gives the same scores and labels."""
    _, _, X_test, _, _, unseen = data
    scores = fitted.decision_function(X_test)
    labels = fitted.predict(X_test, candidates=unseen)
    monkeypatch.setattr(dem_module, "_MIN_CHUNK_ROWS", 7)
    monkeypatch.setattr(dem_module, "_MAX_CHUNK_ROWS", 7)
    assert_allclose(fitted.decision_function(X_test), scores, rtol=1e-5, atol=1e-5)
    assert_array_equal(fitted.predict(X_test, candidates=unseen), labels)


def test_predict_proba_is_a_tempered_softmax(fitted, data):
    """Check predict_proba = softmax(decision_function / temperature_)."""
    _, _, X_test, _, _, _ = data
    proba = fitted.predict_proba(X_test)
    expected = softmax(fitted.decision_function(X_test) / fitted.temperature_, axis=1)
    assert_allclose(proba, expected, rtol=1e-10, atol=1e-12)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(fitted.classes_[proba.argmax(axis=1)], fitted.predict(X_test))


def test_auto_temperature_minimises_the_validation_log_loss(fitted, data):
    """Check that temperature_ is a minimum of the held-out log-loss."""
    X_train, y_train, _, _, _, _ = data
    rows = fitted.net_.train_split.valid_indices
    scores = fitted.decision_function(X_train[rows])
    y_ind = np.searchsorted(fitted.classes_, y_train[rows])

    def log_loss(t):
        log_proba = np.log(softmax(scores / t, axis=1))
        return -log_proba[np.arange(rows.size), y_ind].mean()

    best = log_loss(fitted.temperature_)
    for factor in (0.8, 1.25):
        assert log_loss(factor * fitted.temperature_) > best


def test_fixed_temperature(data):
    """Check that a numeric temperature is used as given."""
    X_train, y_train, X_test, _, semantics, _ = data
    clf = DEMClassifier(temperature=2.5, max_epochs=3, **FAST)
    clf.fit(X_train, y_train, class_semantics=semantics)
    assert clf.temperature_ == 2.5
    expected = softmax(clf.decision_function(X_test) / 2.5, axis=1)
    assert_allclose(clf.predict_proba(X_test), expected)


def test_fusion_of_two_complementary_modalities():
    """Check fusion on two modalities that each miss what the other sees.

    Modality "a" cannot tell unseen classes 0 and 1 apart, modality "b"
    cannot tell 2 and 3 apart; the features depend on both. A model ignoring
    either modality is at most right half the time on those four classes
    (0.5); the fused model must reach 0.8.
    """
    rng = np.random.RandomState(0)
    n_classes = 24
    a, b = rng.randn(n_classes, 3), rng.randn(n_classes, 3)
    a[1], b[3] = a[0], b[2]
    mixing_a, mixing_b = rng.randn(3, 12), rng.randn(3, 12)
    y = np.repeat(np.arange(n_classes), 30)
    X = (a[y] @ mixing_a + b[y] @ mixing_b + 0.3 * rng.randn(y.size, 12)).astype(
        np.float32
    )
    semantics = ClassSemantics(np.arange(n_classes), {"a": a, "b": b})
    unseen = np.arange(4)
    train = ~np.isin(y, unseen)
    clf = DEMClassifier(hidden_layer_sizes=(64,), alpha=1e-3, random_state=0)
    clf.fit(X[train], y[train], class_semantics=semantics)

    network = clf.net_.module_.network
    assert network.fusion and len(network.branches) == 2
    assert network.modality_dims == (3, 3)
    y_pred = clf.predict(X[~train], candidates=unseen)
    assert per_class_accuracy_score(y[~train], y_pred) >= 0.8


def test_fusion_needs_a_hidden_layer(data):
    """Check the error for several modalities and no hidden layer."""
    X_train, y_train, _, _, semantics, _ = data
    two = ClassSemantics(
        semantics.labels,
        {"a": semantics.to_numpy()[:, :4], "b": semantics.to_numpy()[:, 4:]},
    )
    clf = DEMClassifier(**{**FAST, "hidden_layer_sizes": ()})
    with pytest.raises(ValueError, match="needs at least one hidden layer"):
        clf.fit(X_train, y_train, class_semantics=two)
    assert not hasattr(clf, "net_"), "a failed fit leaves no fitted attribute"


@pytest.mark.parametrize("sizes", [(0,), (3.5,), ((2, 2),), "wide"])
def test_invalid_hidden_layer_sizes(data, sizes):
    """Check the error for hidden layer sizes that are not positive integers."""
    X_train, y_train, _, _, semantics, _ = data
    clf = DEMClassifier(**{**FAST, "hidden_layer_sizes": sizes})
    with pytest.raises((ValueError, TypeError), match="hidden_layer_sizes"):
        clf.fit(X_train, y_train, class_semantics=semantics)


class _Snapshots(Callback):
    """Keep a copy of the module's weights at the end of every epoch."""

    def on_train_begin(self, net, **kwargs):
        self.states_ = []

    def on_epoch_end(self, net, **kwargs):
        self.states_.append(
            {k: v.detach().clone() for k, v in net.module_.state_dict().items()}
        )


def test_early_stopping_restores_the_best_epoch(data):
    """Check that the kept weights are those of the best validation epoch.

    A large learning rate makes the validation loss noisy, so the last epoch
    is not the best; training stops n_iter_no_change epochs after the last
    epoch that improved the best validation loss by more than tol.
    """
    X_train, y_train, _, _, semantics, _ = data
    snapshots = _Snapshots()
    clf = DEMClassifier(
        lr=0.05,
        n_iter_no_change=3,
        max_epochs=50,
        callbacks=[("snapshots", snapshots)],
        **FAST,
    )
    clf.fit(X_train, y_train, class_semantics=semantics)
    assert not hasattr(snapshots, "states_"), "the parameter itself is not fitted"
    recorded = dict(clf.net_.callbacks_)["snapshots"].states_

    valid_loss = np.array(clf.net_.history[:, "valid_loss"])
    best = clf.best_epoch_
    assert best < clf.n_iter_ == best + 3 == len(recorded)
    # No later epoch beats the best by the relative tolerance; the best beat
    # every earlier one.
    assert np.all(valid_loss[best:] >= valid_loss[best - 1] * (1 - clf.tol))
    assert np.all(valid_loss[: best - 1] > valid_loss[best - 1])
    for name, value in clf.net_.module_.state_dict().items():
        assert torch.equal(value, recorded[best - 1][name]), name
        if name.endswith("weight"):
            assert not torch.equal(value, recorded[-1][name]), name
    # The prototypes come from the restored weights.
    with torch.no_grad():
        out = clf.net_.module_.all_prototypes().numpy()
    assert_allclose(
        clf.prototypes_, out * clf.feature_scale_ + clf.feature_shift_, rtol=1e-6
    )


def test_validation_rows_are_seen_class_samples_never_trained_on(fitted, data):
    """Check the class-stratified validation split used for early stopping."""
    _, y_train, _, _, _, _ = data
    rows = fitted.net_.train_split.valid_indices
    labels, counts = np.unique(y_train[rows], return_counts=True)
    # 10% of 40 samples in each of the 9 seen classes.
    assert_array_equal(labels, fitted.seen_classes_)
    assert_array_equal(counts, 4)
    history = fitted.net_.history
    assert history[0, "train_batch_count"] == np.ceil((y_train.size - rows.size) / 64)


def test_stratified_validation_indices():
    """Check the per-class counts: largest-remainder shares, one sample kept.

    ceil(0.25 * 27) = 7 samples; quotas 2.59, 3.63, 0.52 and 0.26: floors 2
    and 3, the 2-sample class lifted to one (7 samples reach the 3 classes
    that can spare one), the last to the largest remainder (0.63), and
    never a class's only sample.
    """
    y = np.repeat([0, 1, 2, 3], [10, 14, 2, 1])
    draws = set()
    for seed in range(20):
        rows = stratified_validation_indices(y, 0.25, seed)
        assert np.all(np.diff(rows) > 0)
        assert np.bincount(y[rows], minlength=4).tolist() == [2, 4, 1, 0]
        draws.add(tuple(rows))
    assert len(draws) > 1, "the seed draws the samples"
    assert stratified_validation_indices([0, 1, 2], 0.5, 0).size == 0


def test_early_stopping_without_validation_samples_warns(data):
    """Check the fallback when no class can spare a validation sample."""
    X_train, y_train, _, _, semantics, _ = data
    _, first = np.unique(y_train, return_index=True)
    clf = DEMClassifier(max_epochs=4, **FAST)
    with pytest.warns(UserWarning, match="without early stopping") as record:
        clf.fit(X_train[first], y_train[first], class_semantics=semantics)
    assert [warning.filename for warning in record] == [__file__]
    assert clf.n_iter_ == clf.best_epoch_ == 4
    assert clf.net_.train_split is None


def test_random_state_gives_identical_fits_and_keeps_global_rng(data):
    """Check reproducibility and that torch's global generator is untouched."""
    X_train, y_train, _, _, semantics, _ = data
    torch.manual_seed(123)
    expected_draw = torch.rand(3)
    torch.manual_seed(123)
    first = DEMClassifier(max_epochs=5, **FAST)
    first.fit(X_train, y_train, class_semantics=semantics)
    assert torch.equal(torch.rand(3), expected_draw)
    second = clone(first).fit(X_train, y_train, class_semantics=semantics)
    assert_array_equal(first.prototypes_, second.prototypes_)
    third = clone(first).set_params(random_state=1)
    third.fit(X_train, y_train, class_semantics=semantics)
    assert not np.array_equal(first.prototypes_, third.prototypes_)


def test_invariant_to_the_units_of_features_and_semantics(data):
    """Check that affine changes of units leave the predictions unchanged.

    Features are shifted by their minimum and divided by one scale, semantics
    standardised per dimension, so ``a * X + b`` and ``c * S + d`` train the
    same network; Euclidean distances are scaled by ``a``.
    """
    X_train, y_train, X_test, _, semantics, _ = data
    clf = DEMClassifier(max_epochs=5, **FAST)
    clf.fit(X_train, y_train, class_semantics=semantics)
    shift = np.linspace(-3, 3, X_train.shape[1]).astype(np.float32)
    rescaled_semantics = ClassSemantics(
        semantics.labels, 100 * semantics.to_numpy() + 7
    )
    other = clone(clf).fit(
        4 * X_train + shift, y_train, class_semantics=rescaled_semantics
    )
    assert_allclose(
        other.prototypes_, 4 * clf.prototypes_ + shift, rtol=1e-3, atol=1e-3
    )
    assert_allclose(
        other.decision_function(4 * X_test + shift),
        4 * clf.decision_function(X_test),
        rtol=1e-3,
        atol=1e-3,
    )


def test_pickle_round_trip(fitted, data):
    """Check that a pickled model predicts the same, and carries no training data."""
    _, _, X_test, _, _, _ = data
    restored = pickle.loads(pickle.dumps(fitted))
    assert_array_equal(restored.predict(X_test), fitted.predict(X_test))
    assert_allclose(restored.predict_proba(X_test), fitted.predict_proba(X_test))
    assert isinstance(restored.prototypes_, np.ndarray)
    assert len(restored.net_.history) == fitted.n_iter_
    for name, value in restored.net_.module_.state_dict().items():
        assert torch.equal(value, fitted.net_.module_.state_dict()[name])
    # Weights plus Adam's two moments, not the training data.
    n_params = sum(p.numel() for p in fitted.net_.module_.parameters())
    assert len(pickle.dumps(fitted)) < 4 * 4 * n_params + 200_000


@pytest.mark.skipif(not CUDA, reason="CUDA is not available")
def test_fit_on_cuda(data):
    """Check training on a GPU, then predicting and pickling as on CPU."""
    X_train, y_train, X_test, y_test, semantics, unseen = data
    clf = DEMClassifier(device="cuda", **FAST)
    clf.fit(X_train, y_train, class_semantics=semantics)
    assert clf.device_ == "cuda"
    assert next(clf.net_.module_.parameters()).is_cuda
    assert isinstance(clf.prototypes_, np.ndarray)
    y_pred = clf.predict(X_test, candidates=unseen)
    assert per_class_accuracy_score(y_test, y_pred) >= 0.6
    restored = pickle.loads(pickle.dumps(clf))
    assert_array_equal(restored.predict(X_test, candidates=unseen), y_pred)
    assert clf.__sklearn_tags__().non_deterministic


@pytest.mark.skipif(CUDA, reason="CUDA is available")
def test_cuda_without_gpu_raises(data):
    """Check the error when CUDA is asked for on a machine without it."""
    X_train, y_train, _, _, semantics, _ = data
    clf = DEMClassifier(device="cuda", **FAST)
    with pytest.raises(ValueError, match="CUDA is not available"):
        clf.fit(X_train, y_train, class_semantics=semantics)
    assert resolve_device("auto") == "cpu"


def test_unknown_device_raises():
    """Check the error for a device string torch would not understand."""
    with pytest.raises(ValueError, match="Unknown device 'gpu'"):
        resolve_device("gpu")


def test_torch_seeded_restores_the_global_generator():
    """Check that seeding inside the block leaves the outside stream intact."""
    torch.manual_seed(5)
    expected = torch.rand(4)
    torch.manual_seed(5)
    with torch_seeded(0):
        inside = torch.rand(2)
    assert torch.equal(torch.rand(4), expected)
    with torch_seeded(0):
        assert torch.equal(torch.rand(2), inside)


def test_verbose_shows_a_progress_bar(data, capsys):
    """Check that verbose=1 draws a progress bar over the epochs on stderr."""
    X_train, y_train, _, _, semantics, _ = data
    clf = DEMClassifier(verbose=1, max_epochs=3, early_stopping=False, **FAST)
    clf.fit(X_train, y_train, class_semantics=semantics)
    captured = capsys.readouterr()
    assert "3/3" in captured.err and "epoch" in captured.err
    assert "train_loss" in captured.err
    pickle.dumps(clf)  # the bar is not kept


def test_user_callbacks_are_cloned_and_run(data):
    """Check that extra skorch callbacks run on a clone of the parameter."""
    X_train, y_train, _, _, semantics, _ = data
    snapshots = _Snapshots()
    clf = DEMClassifier(callbacks=[("snap", snapshots)], max_epochs=2, **FAST)
    clf.fit(X_train, y_train, class_semantics=semantics)
    used = dict(clf.net_.callbacks_)["snap"]
    assert used is not snapshots and len(used.states_) == 2


def test_one_hot_semantics_give_a_supervised_classifier(data):
    """Check the fallback without semantics: a nearest-prototype classifier."""
    X_train, y_train, _, _, _, _ = data
    clf = DEMClassifier(**FAST).fit(X_train, y_train)
    assert_array_equal(clf.unseen_classes_, [])
    assert per_class_accuracy_score(y_train, clf.predict(X_train)) >= 0.8


def test_from_paper_presets():
    """Check the official settings and that parameters override them."""
    cub = DEMClassifier.from_paper("cub")
    assert cub.get_params()["hidden_layer_sizes"] == (1200,)
    assert (cub.alpha, cub.lr, cub.batch_size, cub.metric) == (
        1e-2,
        1e-5,
        100,
        "cosine",
    )
    awa2 = DEMClassifier.from_paper("AwA2", max_epochs=7)
    assert (awa2.hidden_layer_sizes, awa2.alpha, awa2.lr) == ((1600,), 1e-3, 1e-4)
    assert (awa2.batch_size, awa2.metric, awa2.max_epochs) == (64, "euclidean", 7)
    assert DEMClassifier.from_paper("SUN").alpha == 1e-5
    assert DEMClassifier.from_paper("aPY").alpha == 1e-4
    assert DEMClassifier.from_paper("AWA1").alpha == 1e-3
    with pytest.raises(ValueError, match="No DEM preset for 'ImageNet'"):
        DEMClassifier.from_paper("ImageNet")


@parametrize_with_checks(
    [
        DEMClassifier(
            hidden_layer_sizes=(16,),
            lr=1e-2,
            max_epochs=20,
            batch_size=-1,
            early_stopping=False,
            random_state=0,
        )
    ]
)
def test_sklearn_compatible(estimator, check):
    """Check scikit-learn's estimator checks with test-sized parameters."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        check(estimator)


@pytest.mark.parametrize("scale", [1e-12, 1e20])
def test_feature_units_do_not_change_predictions(scale):
    """Check that DEM predicts the same whatever the units of the features.

    Training standardises the features; prediction scores features far from
    unit scale in units of ``feature_scale_`` so float32 norms cannot overflow.
    """
    X, y, semantics, unseen = make_zsl_classification(
        n_classes=8,
        n_unseen=2,
        n_samples_per_class=10,
        n_features=8,
        n_semantics=4,
        random_state=0,
    )
    train = ~np.isin(y, unseen)
    params = {"hidden_layer_sizes": (16,), "max_epochs": 5, "random_state": 0}
    params["early_stopping"] = False
    unit = DEMClassifier(**params).fit(X[train], y[train], class_semantics=semantics)
    scaled = DEMClassifier(**params).fit(
        X[train] * scale, y[train], class_semantics=semantics
    )
    scores = scaled.decision_function(X * scale)
    assert np.all(np.isfinite(scores))
    assert_array_equal(scaled.predict(X * scale), unit.predict(X))
    assert_allclose(scores / scale, unit.decision_function(X), rtol=1e-3, atol=1e-4)
