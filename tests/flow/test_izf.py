"""Tests for IZFClassifier and its training objective."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import norm
from skorch.callbacks import Callback

from sklearn_zsl import ClassSemantics
from sklearn_zsl.datasets import make_zsl_classification
from sklearn_zsl.flow import IZFClassifier
from sklearn_zsl.flow._izf import _held_out_mean_errors, _prototype_error
from sklearn_zsl.flow._losses import (
    centralizing_loss,
    flow_nll,
    imq_mmd,
    negative_mmd_loss,
    semantic_loss,
)
from sklearn_zsl.flow._modules import _IZFFlow
from sklearn_zsl.flow._net import _IZFObjective
from sklearn_zsl.generative import GFZSLClassifier

# Test-sized flow: every fit below takes well under a second or two.
# seen_penalty=0: these tests check the raw scores and the training itself
FAST = {
    "n_blocks": 2,
    "hidden_size": 16,
    "max_epochs": 20,
    "lr": 2e-3,
    "batch_size": 32,
    "random_state": 0,
    "seen_penalty": 0.0,
}


@pytest.fixture(scope="module")
def data():
    X, y, semantics, unseen = make_zsl_classification(
        n_classes=10,
        n_unseen=3,
        n_samples_per_class=25,
        n_features=12,
        n_semantics=8,
        noise=0.5,
        random_state=0,
    )
    seen = ~np.isin(y, unseen)
    return X[seen], y[seen], X[~seen], y[~seen], semantics


@pytest.fixture(scope="module")
def bayes(data):
    X, y, _, _, semantics = data
    return IZFClassifier(classifier="bayes", **FAST).fit(
        X, y, class_semantics=semantics
    )


@pytest.fixture(scope="module")
def softmax(data):
    X, y, _, _, semantics = data
    # trained longer than FAST: at 20 epochs the generated classes are three
    # times as wide as the real ones and the head's accuracy is a coin toss
    params = {**FAST, "hidden_size": 32, "max_epochs": 100}
    clf = IZFClassifier(classifier="softmax", n_synthetic_per_class=20, **params)
    return clf.fit(X, y, class_semantics=semantics)


@pytest.fixture(scope="module")
def gaussian(data):
    X, y, _, _, semantics = data
    params = {**FAST, "hidden_size": 32, "max_epochs": 100}
    clf = IZFClassifier(classifier="gaussian", **params)
    return clf.fit(X, y, class_semantics=semantics)


def _scaled_semantics(clf):
    values = clf.class_semantics_.to_numpy()
    low, high = values.min(axis=0), values.max(axis=0)
    return (values - low) / np.where(high > low, high - low, 1.0)


def test_fit_sets_fitted_attributes(bayes, softmax, data):
    """Check the fitted attributes of both classifiers."""
    X, y, _, _, _ = data
    assert_array_equal(bayes.classes_, np.arange(10))
    assert_array_equal(bayes.seen_classes_, np.unique(y))
    assert bayes.unseen_classes_.shape == (3,)
    assert bayes.device_ == "cpu"
    assert bayes.head_ is None
    assert bayes.classifier_ == "bayes"
    assert bayes.classifier_scores_ is None
    assert bayes.means_ is None and bayes.variances_ is None
    assert bayes.n_iter_ == bayes.best_epoch_ == FAST["max_epochs"]
    assert bayes.validation_classes_.size == 0
    assert isinstance(bayes.net_.module_, _IZFFlow)
    assert bayes.net_.module_.n_dims == X.shape[1]
    assert bayes.semantic_variance_ > 0
    assert_allclose(bayes.feature_min_, X.min(axis=0))
    assert_allclose(bayes.feature_scale_, X.max(axis=0) - X.min(axis=0), rtol=1e-6)
    assert_array_equal(softmax.head_.classes_, softmax.classes_)
    assert softmax.head_.coef_.shape == (10, X.shape[1])
    assert softmax.means_ is None


def test_bayes_scores_are_gaussian_log_likelihoods(bayes, data):
    """Check decision_function against a NumPy computation from predict_semantics."""
    _, _, X_test, _, _ = data
    factor = bayes.predict_semantics(X_test)
    values = bayes.class_semantics_.to_numpy()
    low, high = values.min(axis=0), values.max(axis=0)
    scaled = (factor - low) / np.where(high > low, high - low, 1.0)
    sq_dist = ((scaled[:, None, :] - _scaled_semantics(bayes)[None]) ** 2).sum(-1)
    expected = -sq_dist / (2 * bayes.semantic_variance_)
    assert_allclose(bayes.decision_function(X_test), expected, rtol=1e-5, atol=1e-6)
    assert_array_equal(bayes.predict(X_test), np.argmin(sq_dist, axis=1))


def test_predict_semantics_is_the_rescaled_semantic_factor(bayes, data):
    """Check that predict_semantics rescales the flow's semantic factor."""
    X, _, _, _, _ = data
    flow = bayes.net_.module_
    X_scaled = (X - bayes.feature_min_) / bayes.feature_scale_
    with torch.no_grad():
        c = flow(torch.from_numpy(X_scaled.astype(np.float32)))[0].numpy()
    expected = c * bayes.semantics_scale_ + bayes.semantics_min_
    assert_allclose(bayes.predict_semantics(X), expected, rtol=1e-5, atol=1e-6)


def test_bayes_scores_of_a_row_do_not_depend_on_the_other_rows(bayes, data):
    """Check that a sample's scores are the same alone, in a batch, in any order.

    In float32 the matrix products' blocking makes a row's result depend on
    the rows computed with it (by a few 1e-7); the prediction runs in float64.
    """
    _, _, X_test, _, _ = data
    scores = bayes.decision_function(X_test)
    order = np.random.default_rng(0).permutation(X_test.shape[0])
    assert_allclose(bayes.decision_function(X_test[order]), scores[order], rtol=1e-12)
    alone = np.vstack([bayes.decision_function(row[None]) for row in X_test[:5]])
    assert_allclose(alone, scores[:5], rtol=1e-12)


def test_semantic_variance_is_the_training_residual(bayes, data):
    """Check that sigma^2 is the mean squared residual of the training samples."""
    X, y, _, _, _ = data
    values = bayes.class_semantics_.to_numpy()
    residual = (bayes.predict_semantics(X) - values[y]) / bayes.semantics_scale_
    assert_allclose(bayes.semantic_variance_, np.mean(residual**2), rtol=1e-4)


def test_softmax_scores_are_the_head_logits(softmax, data):
    """Check the softmax classifier's scores against its linear layer."""
    _, _, X_test, _, _ = data
    weight, bias = softmax.head_.coef_, softmax.head_.intercept_
    X_scaled = (X_test - softmax.feature_min_) / softmax.feature_scale_
    assert_allclose(
        softmax.decision_function(X_test),
        X_scaled @ weight.T + bias,
        rtol=1e-4,
        atol=1e-5,
    )


@pytest.mark.parametrize("name", ["bayes", "softmax", "gaussian"])
@pytest.mark.parametrize("seen_penalty", [0.0, 3.0])
def test_predict_proba_agrees_with_predict(name, seen_penalty, request, data):
    """Check that probabilities sum to one and their argmax is the prediction."""
    _, _, X_test, _, _ = data
    clf = request.getfixturevalue(name)
    clf.set_params(seen_penalty=seen_penalty)
    try:
        proba = clf.predict_proba(X_test)
        assert_allclose(proba.sum(axis=1), 1.0)
        assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X_test))
    finally:
        clf.set_params(seen_penalty=0.0)


def test_sample_is_the_reverse_pass(bayes):
    """Check sample() against the flow's inverse on the same noise.

    Ancestral sampling: the semantic factor is drawn around the class
    semantics with ``semantic_variance_``, the rest from N(0, I).
    """
    classes = np.array([7, 0, 7])
    X_gen, y_gen = bayes.sample(classes, 4, random_state=3)
    assert X_gen.shape == (12, bayes.n_features_in_)
    assert_array_equal(y_gen, np.repeat(classes, 4))
    flow = bayes.net_.module_
    seed = np.random.RandomState(3).randint(np.iinfo(np.int32).max)
    generator = torch.Generator().manual_seed(seed)
    noise = torch.randn(12, flow.n_semantic + flow.n_noise, generator=generator)
    c_noise, z = noise[:, : flow.n_semantic], noise[:, flow.n_semantic :]
    c = torch.from_numpy(_scaled_semantics(bayes)[y_gen].astype(np.float32))
    c = c + float(np.sqrt(bayes.semantic_variance_)) * c_noise
    with torch.no_grad():
        expected = flow.inverse(c, z).numpy() * bayes.feature_scale_
    expected += bayes.feature_min_ - bayes.generation_offset_[y_gen]
    assert_allclose(X_gen, expected, rtol=1e-4, atol=1e-5)


def _prototypes(clf):
    """Zero-noise prototypes of every class, in the units of X."""
    c = torch.from_numpy(_scaled_semantics(clf).astype(np.float32))
    with torch.no_grad():
        scaled = clf.net_.module_.prototypes(c).numpy().astype(np.float64)
    return scaled * clf.feature_scale_ + clf.feature_min_


def test_generated_class_means_are_the_prototypes(data):
    """Check center_generated: each class's generated mean is its prototype.

    The same flow (center_generated does not change the training) samples
    class means that drift from the zero-noise prototypes; centred samples
    are shifted by the drift measured at fit, so their means sit on the
    prototypes up to the sampling error of the two estimates.
    """
    X, y, _, _, semantics = data
    # trained long enough for the drift (about a quarter of the class spread)
    # to stand out from the sampling error of 256 draws (a sixteenth)
    params = {**FAST, "classifier": "bayes", "hidden_size": 64, "max_epochs": 100}
    centred = IZFClassifier(**params).fit(X, y, class_semantics=semantics)
    raw = IZFClassifier(center_generated=False, **params)
    raw.fit(X, y, class_semantics=semantics)
    weights = zip(
        centred.net_.module_.parameters(), raw.net_.module_.parameters(), strict=True
    )
    for a, b in weights:
        assert_array_equal(a.detach().numpy(), b.detach().numpy())
    assert_array_equal(raw.generation_offset_, 0.0)
    prototypes = _prototypes(centred)
    classes = centred.classes_
    drifts = {}
    for name, clf in [("centred", centred), ("raw", raw)]:
        X_gen, y_gen = clf.sample(classes, 4000, random_state=1)
        means = np.array([X_gen[y_gen == k].mean(axis=0) for k in classes])
        drifts[name] = np.linalg.norm(means - prototypes, axis=1)
    # in our run: raw drifts 0.6-1.8, centred 0.15-0.37 (class spread 3.9)
    assert np.all(drifts["centred"] < 0.6 * drifts["raw"])
    assert drifts["centred"].mean() < 0.35 * drifts["raw"].mean()


def test_sample_is_reproducible(bayes):
    """Check that an int random_state fixes the generated features."""
    first, _ = bayes.sample(bayes.unseen_classes_, 5, random_state=0)
    again, _ = bayes.sample(bayes.unseen_classes_, 5, random_state=0)
    other, _ = bayes.sample(bayes.unseen_classes_, 5, random_state=1)
    assert_array_equal(first, again)
    assert not np.allclose(first, other)


@pytest.mark.parametrize(
    "classes, n_samples, err_msg",
    [
        ([42], 2, r"Unknown classes \[42\]"),
        ([[0, 1]], 2, "classes must be a 1-D array-like"),
        ([], 2, "classes is empty"),
        ([0], 0, "n_samples must be a positive integer"),
        ([0], 1.5, "n_samples must be a positive integer"),
    ],
)
def test_sample_rejects_bad_arguments(bayes, classes, n_samples, err_msg):
    """Check the errors of sample() on unknown classes and bad counts."""
    with pytest.raises(ValueError, match=err_msg):
        bayes.sample(classes, n_samples)


@pytest.mark.parametrize("name", ["bayes", "softmax", "gaussian"])
def test_zero_shot_accuracy_above_chance(name, request, data):
    """Check that every classifier recognises unseen classes above chance.

    Three unseen classes and 75 samples: chance is 1/3, with a standard error
    of 0.05 over the samples: each is at least one standard error above it.
    """
    clf = request.getfixturevalue(name)
    _, _, X_test, y_test, _ = data
    y_pred = clf.predict(X_test, candidates=clf.unseen_classes_)
    assert np.mean(y_pred == y_test) > 1 / 3 + 0.05


def test_softmax_head_is_trained_on_synthetic_unseen_features(softmax, data):
    """Check that the softmax classifier fits its real and synthetic training set.

    Fresh generated features of the unseen classes are recognised far above
    the chance level of 1 in 10 classes (a head never trained on them would
    not predict their classes at all); generated classes overlap, as sampled
    semantic factors spread around the class semantics.
    """
    X, y, _, _, _ = data
    assert np.mean(softmax.predict(X) == y) > 0.9
    X_gen, y_gen = softmax.sample(softmax.unseen_classes_, 20, random_state=0)
    assert np.mean(softmax.predict(X_gen) == y_gen) > 0.3


def test_gaussian_head_is_a_gaussian_per_class(gaussian, data):
    """Check the Gaussian head's means, variances and scores by hand.

    Seen classes: their sample means. Unseen classes: the zero-noise
    prototypes, the means of their centred generated features. One pooled
    within-class variance per feature, floored at 1% of the mean over the
    features, times 1 + prototype_error_ for the unseen classes. Scores:
    Gaussian log-densities, up to a constant shared by all classes.
    """
    X, y, X_test, _, _ = data
    clf = gaussian
    assert clf.classifier_ == "gaussian" and clf.head_ is None
    low, scale = clf.feature_min_, clf.feature_scale_
    seen = clf.seen_classes_
    for label in seen:
        assert_allclose(clf.means_[label], X[y == label].mean(axis=0), rtol=1e-5)
    semantics = torch.from_numpy(_scaled_semantics(clf).astype(np.float32))
    with torch.no_grad():
        prototypes = clf.net_.module_.prototypes(semantics).numpy()
    unseen = clf.unseen_classes_
    assert_allclose(
        clf.means_[unseen], prototypes[unseen] * scale + low, rtol=1e-4, atol=1e-4
    )

    X_scaled = (X - low) / scale
    residuals = (
        X_scaled
        - np.vstack([X_scaled[y == k].mean(0) for k in seen])[np.searchsorted(seen, y)]
    )
    pooled = (residuals**2).sum(axis=0) / (X.shape[0] - seen.size)
    expected = np.tile(np.maximum(pooled, 0.01 * pooled.mean()) * scale**2, (10, 1))
    expected[unseen] *= 1.0 + clf.prototype_error_
    assert_allclose(clf.variances_, expected, rtol=1e-5)

    log_density = np.stack(
        [
            norm.logpdf(X_test, clf.means_[k], np.sqrt(clf.variances_[k])).sum(1)
            for k in range(10)
        ],
        axis=1,
    )
    scores = clf.decision_function(X_test)
    # features are scaled in float32, as the flow's input
    expected = log_density - log_density[:, :1]
    assert_allclose(scores - scores[:, :1], expected, rtol=1e-5, atol=1e-4)


def test_unseen_widening_is_the_held_out_classes_error():
    """Check prototype_error="auto": measured on the calibration splits.

    With 18 seen classes (three splits of 4 held out), the widening measured
    on the held-out seen classes is within 30% of the error of the final
    model's unseen means against the real unseen samples, which fit never
    sees; a given prototype_error of that value fits the same model. (With
    fewer seen classes the calibration flows, trained on fewer classes, place
    held-out classes worse than the final flow places the unseen ones.)
    """
    X, y, semantics, unseen = make_zsl_classification(
        n_classes=24,
        n_unseen=6,
        n_samples_per_class=20,
        n_features=12,
        n_semantics=6,
        noise=0.5,
        random_state=0,
    )
    train = ~np.isin(y, unseen)
    params = {**FAST, "hidden_size": 32, "max_epochs": 50, "batch_size": 64}
    clf = IZFClassifier(classifier="gaussian", **params)
    clf.fit(X[train], y[train], class_semantics=semantics)
    r = clf.prototype_error_
    variances = clf.variances_[clf.seen_classes_[0]]
    errors = [
        np.mean((X[y == k].mean(0) - clf.means_[k]) ** 2 / variances)
        - 1.0 / np.sum(y == k)
        for k in clf.unseen_classes_
    ]
    assert r > 0 and abs(r / np.mean(errors) - 1) < 0.3
    given = IZFClassifier(classifier="gaussian", prototype_error=r, **params)
    given.fit(X[train], y[train], class_semantics=semantics)
    assert given.prototype_error_ == r
    assert_allclose(given.decision_function(X), clf.decision_function(X))


def test_unseen_widening_changes_seen_against_unseen_only(data):
    """Check the widened Gaussian head against the unwidened one by hand.

    With the unseen variances times 1 + r, an unseen class's log-density is
    (s + L/2) / (1 + r) - L/2 - D log(1 + r) / 2, where s is the unwidened
    one and L the sum of log(2 pi variance); seen classes are unchanged, and
    so is the ranking of the unseen classes.
    """
    X, y, X_test, _, semantics = data
    params = {**FAST, "hidden_size": 32, "max_epochs": 100}
    r = 0.8
    plain, widened = (
        IZFClassifier(classifier="gaussian", prototype_error=error, **params).fit(
            X, y, class_semantics=semantics
        )
        for error in (0.0, r)
    )
    assert plain.prototype_error_ == 0.0 and widened.prototype_error_ == r
    seen, unseen = plain.seen_classes_, plain.unseen_classes_
    before, after = plain.decision_function(X_test), widened.decision_function(X_test)
    assert_allclose(after[:, seen], before[:, seen])
    # the scores are log-densities of the scaled features
    log_2pi_var = np.sum(
        np.log(2 * np.pi * plain.variances_[0] / plain.feature_scale_**2)
    )
    expected = (before[:, unseen] + log_2pi_var / 2) / (1 + r) - log_2pi_var / 2
    expected -= X.shape[1] * np.log(1 + r) / 2
    assert_allclose(after[:, unseen], expected, rtol=1e-6, atol=1e-6)
    assert_array_equal(
        widened.predict(X_test, candidates=unseen),
        plain.predict(X_test, candidates=unseen),
    )


def test_held_out_mean_errors_by_hand():
    """Check the error of a held-out class's generated mean, per feature."""

    class Model:
        classes_ = np.array([0, 1, 2])
        seen_classes_ = np.array([0, 2])

    means = np.array([[0.0, 0.0], [1.0, 2.0], [5.0, 5.0]])
    variances = np.array([[1.0, 4.0]] * 3)
    X = np.array([[0.0, 0.0], [2.0, 4.0], [4.0, 4.0], [9.0, 9.0]])
    y = np.array([0, 1, 1, 2])
    # class 1: sample mean (3, 4), residual (2, 2): (4 / 1 + 4 / 4) / 2 - 1 / 2
    assert_allclose(_held_out_mean_errors(X, y, Model(), means, variances), [2.0])
    assert _prototype_error([2.0, -1.0, 0.5]) == 0.5
    assert _prototype_error([-0.2, 0.1]) == 0.0
    with pytest.raises(ValueError, match="non-finite class means"):
        _prototype_error([1.0, np.nan])


def test_gaussian_head_of_uncentred_generation_uses_the_generated_means(data):
    """Check that without centring the unseen means are the samples' means.

    The mean of 4,000 fresh draws of each unseen class lies near means_, well
    within the class's spread, and nearer to it than to the prototype.
    """
    X, y, _, _, semantics = data
    params = {**FAST, "hidden_size": 32, "max_epochs": 100, "center_generated": False}
    clf = IZFClassifier(classifier="gaussian", **params)
    clf.fit(X, y, class_semantics=semantics)
    assert_array_equal(clf.generation_offset_, 0.0)
    scaled = torch.from_numpy(_scaled_semantics(clf).astype(np.float32))
    with torch.no_grad():
        prototypes = clf.net_.module_.prototypes(scaled).numpy()
    prototypes = prototypes * clf.feature_scale_ + clf.feature_min_
    for label in clf.unseen_classes_:
        X_gen, _ = clf.sample([label], 4000, random_state=1)
        spread = np.sqrt(np.mean(X_gen.var(axis=0)))
        error = np.sqrt(np.mean((X_gen.mean(axis=0) - clf.means_[label]) ** 2))
        drift = np.sqrt(np.mean((X_gen.mean(axis=0) - prototypes[label]) ** 2))
        assert error < 0.15 * spread
        assert error < drift


@pytest.mark.parametrize("seen_penalty", ["auto", 0.5])
def test_auto_classifier_is_the_chosen_head(seen_penalty, data):
    """Check that classifier="auto" fits what the chosen head fits alone.

    With 7 seen classes a calibration split holds out 2, so there are three
    splits; it chooses the head with the larger validation AUSUC on more of
    them, then gives the same scores and seen penalty as an estimator built
    with that head (the calibration splits and the flows are the same); a
    given seen penalty is kept.
    """
    X, y, X_test, _, semantics = data
    params = {**FAST, "seen_penalty": seen_penalty, "n_synthetic_per_class": 20}
    auto = IZFClassifier(**params).fit(X, y, class_semantics=semantics)
    assert auto.classifier == "auto"
    scores = auto.classifier_scores_
    assert set(scores) == {"softmax", "gaussian"}
    softmax, gaussian = scores["softmax"], scores["gaussian"]
    assert softmax.shape == gaussian.shape == (3,)
    assert np.all((0.0 <= softmax) & (softmax <= 1.0))
    softmax_wins = np.sum(softmax > gaussian) - np.sum(gaussian > softmax)
    if softmax_wins == 0:
        softmax_wins = softmax.mean() - gaussian.mean()
    assert auto.classifier_ == ("softmax" if softmax_wins > 0 else "gaussian")
    alone = IZFClassifier(classifier=auto.classifier_, **params)
    alone.fit(X, y, class_semantics=semantics)
    assert alone.classifier_scores_ is None
    assert_allclose(auto.seen_penalty_, alone.seen_penalty_, rtol=1e-6)
    if seen_penalty != "auto":
        assert auto.seen_penalty_ == 0.5
    assert_allclose(auto.decision_function(X_test), alone.decision_function(X_test))


def test_one_calibration_split_where_it_holds_out_many_classes():
    """Check that 46 seen classes give one split of 10 held out, 45 give three."""
    for n_seen, n_splits in [(46, 1), (45, 3)]:
        X, y, semantics, unseen = make_zsl_classification(
            n_classes=n_seen + 2,
            n_unseen=2,
            n_samples_per_class=6,
            n_features=6,
            n_semantics=4,
            random_state=0,
        )
        seen = ~np.isin(y, unseen)
        clf = IZFClassifier(**{**FAST, "max_epochs": 2, "seen_penalty": "auto"})
        clf.fit(X[seen], y[seen], class_semantics=semantics)
        assert clf.classifier_scores_["softmax"].shape == (n_splits,)


def test_auto_classifier_without_held_out_classes_is_softmax(data):
    """Check that with too few seen classes "auto" warns and uses softmax."""
    X, y, _, _, semantics = data
    keep = np.isin(y, np.unique(y)[:3])
    clf = IZFClassifier(**{**FAST, "max_epochs": 2, "seen_penalty": "auto"})
    match = (
        "classifier='auto', prototype_error='auto' and seen_penalty='auto' "
        "choose the head, the widening and the penalty"
    )
    with pytest.warns(UserWarning, match=match) as record:
        clf.fit(X[keep], y[keep], class_semantics=semantics)
    # the warning names the caller's line, with either classifier
    assert [warning.filename for warning in record] == [__file__]
    assert clf.classifier_ == "softmax" and clf.classifier_scores_ is None
    assert clf.seen_penalty_ == 0.0
    assert clf.head_ is not None
    clf.set_params(classifier="gaussian")
    match = "prototype_error='auto' and seen_penalty='auto' choose the widening"
    with pytest.warns(UserWarning, match=match) as record:
        clf.fit(X[keep], y[keep], class_semantics=semantics)
    assert [warning.filename for warning in record] == [__file__]
    assert clf.classifier_ == "gaussian" and clf.head_ is None
    assert clf.prototype_error_ == 0.0


def test_fit_is_reproducible(data):
    """Check that an int random_state gives identical refits on CPU."""
    X, y, X_test, _, semantics = data
    params = {**FAST, "max_epochs": 3, "classifier": "softmax"}
    params.update(n_synthetic_per_class=5)
    first = IZFClassifier(**params).fit(X, y, class_semantics=semantics)
    again = IZFClassifier(**params).fit(X, y, class_semantics=semantics)
    assert_array_equal(first.decision_function(X_test), again.decision_function(X_test))


def test_fit_leaves_torch_global_generator_alone(data):
    """Check that fit neither reads nor moves torch's global random state."""
    X, y, _, _, semantics = data
    state = torch.get_rng_state()
    IZFClassifier(**{**FAST, "max_epochs": 1}).fit(X, y, class_semantics=semantics)
    assert torch.equal(torch.get_rng_state(), state)


def test_max_epochs_auto_targets_a_number_of_steps(data):
    """Check the epochs of max_epochs='auto': about 1500 steps, 20 to 500 epochs."""
    X, y, _, _, semantics = data
    clf = IZFClassifier(**{**FAST, "max_epochs": "auto", "batch_size": 90})
    # 180 samples in 2 batches -> 750 epochs, capped at 500.
    assert clf._resolve_max_epochs(X.shape[0]) == 500
    assert clf._resolve_max_epochs(90 * 150) == 20
    assert clf._resolve_max_epochs(90 * 30) == 50
    clf.set_params(batch_size=-1)
    assert clf._resolve_max_epochs(X.shape[0]) == 500


def test_early_stopping_holds_out_seen_classes(data):
    """Check the class-disjoint validation split of early stopping."""
    X, y, _, _, semantics = data
    clf = IZFClassifier(
        **{**FAST, "max_epochs": 30},
        early_stopping=True,
        validation_fraction=0.3,
        n_iter_no_change=2,
    ).fit(X, y, class_semantics=semantics)
    # 0.3 of the 7 seen classes, rounded up as every held-out share is
    assert clf.validation_classes_.shape == (3,)
    assert np.all(np.isin(clf.validation_classes_, clf.seen_classes_))
    split = clf.net_.train_split
    assert_array_equal(
        np.sort(split.valid_indices),
        np.flatnonzero(np.isin(y, clf.validation_classes_)),
    )
    # Held-out classes are negatives of the negative-sample term.
    negatives = clf.net_.criterion_.negative_classes.numpy()
    expected = np.union1d(clf.unseen_classes_, clf.validation_classes_)
    assert_array_equal(np.sort(clf.classes_[negatives]), expected)
    valid_loss = clf.net_.history[:, "valid_loss"]
    assert clf.best_epoch_ == np.argmin(valid_loss) + 1
    assert clf.n_iter_ == len(valid_loss) <= 30


def test_early_stopping_warns_with_too_few_classes():
    """Check that early stopping falls back to max_epochs with two classes."""
    rng = np.random.RandomState(0)
    X, y = rng.randn(20, 3), np.repeat([0, 1], 10)
    clf = IZFClassifier(**{**FAST, "max_epochs": 2}, early_stopping=True)
    with pytest.warns(UserWarning, match="needs at least 3 seen classes") as record:
        clf.fit(X, y)
    assert [warning.filename for warning in record] == [__file__]
    assert clf.net_.train_split is None
    assert clf.n_iter_ == 2


def test_non_finite_loss_raises_and_unfits(data):
    """Check that a diverged flow raises a clear error and leaves no model."""

    class PoisonWeights(Callback):
        def on_batch_begin(self, net, **kwargs):
            if len(net.history) == 2:
                with torch.no_grad():
                    next(net.module_.parameters()).fill_(float("nan"))

    X, y, _, _, semantics = data
    clf = IZFClassifier(**{**FAST, "max_epochs": 3}, callbacks=[PoisonWeights()])
    with pytest.raises(ValueError, match="loss became nan in epoch 2"):
        clf.fit(X, y, class_semantics=semantics)
    assert not hasattr(clf, "net_")
    assert not hasattr(clf, "classes_")


def test_narrow_features_are_padded():
    """Check that features narrower than the semantics train and sample."""
    rng = np.random.RandomState(0)
    semantics = {k: rng.rand(3) for k in range(4)}
    y = np.repeat([0, 1, 2], 20)
    X = np.array([semantics[k][:2] for k in y]) + 0.1 * rng.randn(60, 2)
    clf = IZFClassifier(**{**FAST, "max_epochs": 2}).fit(
        X, y, class_semantics=semantics
    )
    assert clf.net_.module_.n_dims == 5
    X_gen, _ = clf.sample([3], 7, random_state=0)
    assert X_gen.shape == (7, 2)
    assert clf.predict_semantics(X).shape == (60, 3)


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_gpu_is_a_clear_error(data):
    """Check that device='cuda' without a GPU raises a ValueError."""
    X, y, _, _, semantics = data
    clf = IZFClassifier(**FAST, device="cuda")
    with pytest.raises(ValueError, match="CUDA is not available"):
        clf.fit(X, y, class_semantics=semantics)


def test_from_paper_preset():
    """Check the paper-sized preset and its per-dataset synthetic count."""
    clf = IZFClassifier.from_paper("cub", classifier="softmax", lr=1e-4)
    assert (clf.n_blocks, clf.hidden_size, clf.max_epochs) == (5, 1024, 400)
    assert (clf.n_synthetic_per_class, clf.lr, clf.device) == (300, 1e-4, "auto")
    assert IZFClassifier.from_paper().n_synthetic_per_class == 300
    with pytest.raises(ValueError, match="No IZF preset for 'MNIST'"):
        IZFClassifier.from_paper("MNIST")


@pytest.mark.parametrize(
    "params, err_msg",
    [
        ({"classifier": "knn"}, "'classifier' parameter"),
        ({"mmd_weight": -1.0}, "'mmd_weight' parameter"),
        ({"max_epochs": "forever"}, "'max_epochs' parameter"),
        ({"max_grad_norm": 0.0}, "'max_grad_norm' parameter"),
        ({"prototype_error": -0.1}, "'prototype_error' parameter"),
    ],
)
def test_invalid_parameters(params, err_msg, data):
    """Check that invalid parameters are rejected with the parameter's name."""
    X, y, _, _, semantics = data
    with pytest.raises(ValueError, match=err_msg):
        IZFClassifier(**params).fit(X, y, class_semantics=semantics)


# -- the objective ------------------------------------------------------------------


def _objective_inputs(seed=0):
    torch.manual_seed(seed)
    flow = _IZFFlow(6, 3, n_blocks=2, hidden_size=8).double()
    with torch.no_grad():
        for param in flow.parameters():
            param.normal_(0.0, 0.3)
    semantics = torch.rand(5, 3, dtype=torch.float64)
    means = torch.rand(5, 6, dtype=torch.float64)
    x = torch.rand(10, 6, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 2])
    return flow, semantics, means, x, y


@pytest.mark.parametrize("weights", [(0.0, 0.0, 0.0), (2.0, 0.5, 0.0), (1.5, 3.0, 0.7)])
def test_objective_is_the_weighted_sum_of_the_losses(weights):
    """Check the objective against the loss functions composed by hand."""
    flow, semantics, means, x, y = _objective_inputs()
    sem_w, cent_w, mmd_w = weights
    objective = _IZFObjective(
        semantics,
        means,
        torch.tensor([3, 4]),
        semantic_weight=sem_w,
        centralizing_weight=cent_w,
        mmd_weight=mmd_w,
    )
    outputs = flow(x)
    torch.manual_seed(1)
    loss = objective(flow, outputs, y, x, training=True)

    c, z, log_det = outputs
    expected = flow_nll(z, log_det, 6) + sem_w * semantic_loss(c, semantics[y])
    present = torch.tensor([0, 1, 2])
    expected = expected + cent_w * centralizing_loss(
        flow.prototypes(semantics[present]), means[present]
    )
    if mmd_w:
        torch.manual_seed(1)
        draw = torch.randint(2, (10,))
        negatives = flow.sample(semantics[torch.tensor([3, 4])[draw]])
        expected = expected - mmd_w * imq_mmd(x, negatives)
    torch.testing.assert_close(loss, expected)


@pytest.mark.parametrize("margin", [None, 0.05])
def test_objective_one_reverse_pass_computes_the_separate_passes_losses(margin):
    """Check the step's single reverse pass against separate passes, in float32.

    Prototypes and negatives go through the flow backwards together; the
    loss and every gradient must be those of ``flow.prototypes`` followed by
    ``flow.sample`` (the computation before they were stacked), with the same
    random draws.
    """
    torch.manual_seed(0)
    flow = _IZFFlow(40, 12, n_blocks=2, hidden_size=32)
    with torch.no_grad():
        for param in flow.parameters():
            param.normal_(0.0, 0.1)
    semantics = torch.rand(9, 12)
    means = torch.rand(9, 40)
    x = torch.rand(32, 40)
    y = torch.arange(32) % 6
    objective = _IZFObjective(
        semantics,
        means,
        torch.tensor([6, 7, 8]),
        semantic_weight=0.5,
        centralizing_weight=2.0,
        mmd_weight=0.3,
        mmd_margin=margin,
        range_weight=1.5,
        anchored_classes=torch.tensor([6, 7, 8]),
    )

    def gradients(loss):
        flow.zero_grad()
        loss.backward()
        return [param.grad.clone() for param in flow.parameters()]

    torch.manual_seed(1)
    loss = objective(flow, flow(x), y, x, training=True)
    fused = gradients(loss)

    torch.manual_seed(1)
    c, z, log_det = flow(x)
    expected = flow_nll(z, log_det, 40) + 0.5 * semantic_loss(c, semantics[y])
    present = torch.arange(9)
    expected = expected + 2.0 * centralizing_loss(
        flow.prototypes(semantics[present]), means[present]
    )
    draw = torch.randint(3, (32,))
    negatives = flow.sample(semantics[torch.tensor([6, 7, 8])[draw]])
    expected = expected + 0.3 * negative_mmd_loss(x, negatives, margin, 1.5)
    torch.testing.assert_close(loss, expected)
    for ours, theirs in zip(fused, gradients(expected), strict=True):
        torch.testing.assert_close(ours, theirs, rtol=1e-4, atol=1e-6)


def test_reverse_pass_with_one_kind_of_rows():
    """Check the reverse pass with prototypes only, negatives only, or nothing."""
    flow, semantics, means, x, y = _objective_inputs()
    objective = _IZFObjective(semantics, means, torch.tensor([3, 4]))
    classes = torch.tensor([0, 2, 4])
    prototypes, negatives = objective.reverse_pass(flow, classes, None)
    assert negatives is None
    torch.testing.assert_close(prototypes, flow.prototypes(semantics[classes]))
    torch.manual_seed(3)
    prototypes, negatives = objective.reverse_pass(flow, None, classes)
    assert prototypes is None
    torch.manual_seed(3)
    torch.testing.assert_close(negatives, flow.sample(semantics[classes]))
    assert objective.reverse_pass(flow, None, None) == (None, None)


@pytest.mark.parametrize("training", [True, False])
def test_objective_centralizes_anchored_classes_in_training(training):
    """Check that anchored (unseen) prototypes join the centralising term.

    In training the classes of the batch and the anchored classes are
    centralised together; validation keeps the classes of the batch only.
    """
    flow, semantics, means, x, y = _objective_inputs()
    objective = _IZFObjective(
        semantics,
        means,
        torch.tensor([3, 4]),
        semantic_weight=0.0,
        centralizing_weight=2.0,
        mmd_weight=0.0,
        anchored_classes=torch.tensor([3, 4]),
    )
    outputs = flow(x)
    loss = objective(flow, outputs, y, x, training=training)
    c, z, log_det = outputs
    classes = torch.tensor([0, 1, 2, 3, 4] if training else [0, 1, 2])
    expected = flow_nll(z, log_det, 6) + 2.0 * centralizing_loss(
        flow.prototypes(semantics[classes]), means[classes]
    )
    torch.testing.assert_close(loss, expected)


def test_unseen_class_means_are_regressed_from_semantics(data):
    """Check the anchors: ridge predictions from the seen classes' means.

    The centralising targets of the unseen classes are the predictions of a
    ridge regression (unpenalised intercept, strength the mean eigenvalue of
    S'S for the centred seen semantics S) from the scaled semantics
    of the seen classes to their scaled mean features, computed here with
    NumPy; the seen classes keep their own means.
    """
    X, y, _, _, semantics = data
    clf = IZFClassifier(**{**FAST, "max_epochs": 1}).fit(
        X, y, class_semantics=semantics
    )
    criterion = clf.net_.criterion_
    unseen = np.searchsorted(clf.classes_, clf.unseen_classes_)
    seen = np.searchsorted(clf.classes_, clf.seen_classes_)
    assert_array_equal(criterion.anchored_classes.numpy(), unseen)
    S = _scaled_semantics(clf)
    X_scaled = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    M = np.array([X_scaled[y == k].mean(axis=0) for k in clf.seen_classes_])
    S_c = S[seen] - S[seen].mean(axis=0)
    alpha = np.sum(S_c**2) / S_c.shape[1]
    coef = np.linalg.solve(S_c.T @ S_c + alpha * np.eye(S.shape[1]), S_c.T @ M)
    expected = (S[unseen] - S[seen].mean(axis=0)) @ coef + M.mean(axis=0)
    means = criterion.class_means.numpy()
    assert_allclose(means[unseen], expected, rtol=1e-4, atol=1e-5)
    assert_allclose(means[seen], M, rtol=1e-4, atol=1e-5)
    off = IZFClassifier(**{**FAST, "max_epochs": 1}, anchor_unseen=False)
    off.fit(X, y, class_semantics=semantics)
    assert off.net_.criterion_.anchored_classes.numel() == 0


def test_unseen_anchors_are_gfzsl_means_on_min_max_scaled_semantics(data):
    """Check the identity the user guide reports: anchors are GFZSL-mm's means.

    GFZSL fitted on the min-max scaled semantics regresses the same class
    means with the same ridge (the feature scaling of each model does not
    change a ridge per feature), so its unseen means, in the units of X, are
    IZF's anchors; on the raw semantics they differ.
    """
    X, y, _, _, semantics = data
    semantics = ClassSemantics(
        semantics.labels,
        {"a": semantics.to_numpy() * np.linspace(0.1, 10, semantics.n_dims)},
    )
    clf = IZFClassifier(**{**FAST, "max_epochs": 1}).fit(
        X, y, class_semantics=semantics
    )
    unseen = np.searchsorted(clf.classes_, clf.unseen_classes_)
    anchors = clf.net_.criterion_.class_means.numpy()[unseen].astype(np.float64)
    anchors = anchors * clf.feature_scale_ + clf.feature_min_
    scaled = semantics.normalize("minmax")
    gfzsl = GFZSLClassifier().fit(X, y, class_semantics=scaled)
    assert_allclose(anchors, gfzsl.means_[unseen], rtol=1e-4, atol=1e-4)
    raw = GFZSLClassifier().fit(X, y, class_semantics=semantics)
    assert not np.allclose(anchors, raw.means_[unseen], rtol=1e-2, atol=1e-2)


def test_objective_drops_the_negative_term_in_validation():
    """Check that the negative-sample term is only used in training."""
    flow, semantics, means, x, y = _objective_inputs()
    with_mmd = _IZFObjective(semantics, means, torch.tensor([3, 4]), mmd_weight=5.0)
    without = _IZFObjective(semantics, means, torch.tensor([3, 4]), mmd_weight=0.0)
    outputs = flow(x)
    torch.testing.assert_close(
        with_mmd(flow, outputs, y, x, training=False),
        without(flow, outputs, y, x, training=True),
    )
    no_negatives = _IZFObjective(semantics, means, torch.tensor([]), mmd_weight=5.0)
    torch.testing.assert_close(
        no_negatives(flow, outputs, y, x, training=True),
        without(flow, outputs, y, x, training=True),
    )


def test_objective_gradient_reaches_every_flow_parameter():
    """Check that the full objective trains every parameter of the flow."""
    flow, semantics, means, x, y = _objective_inputs()
    objective = _IZFObjective(semantics, means, torch.tensor([3, 4]))
    objective(flow, flow(x), y, x, training=True).backward()
    for name, param in flow.named_parameters():
        assert param.grad is not None and torch.any(param.grad != 0), name


def test_class_semantics_object_with_two_modalities(data):
    """Check that multi-modality semantics are concatenated."""
    X, y, _, _, semantics = data
    values = semantics.to_numpy()
    two = ClassSemantics(semantics.labels, {"a": values[:, :2], "b": values[:, 2:]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = IZFClassifier(**{**FAST, "max_epochs": 1}).fit(X, y, class_semantics=two)
    assert clf.predict_semantics(X).shape == (X.shape[0], values.shape[1])
