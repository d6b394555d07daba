"""Persistence, determinism and interruption of every zero-shot estimator.

A GPU-trained model loaded on a CPU-only machine, torch's ``weights_only``
loading, a grid search's refit identical to a direct fit, and training
interrupted by a ``KeyboardInterrupt``, checkpointed and resumed. Pickle and
joblib round trips and identical refits from an int ``random_state`` are
checked for every estimator by ``sklearn_zsl.utils.estimator_checks``
(``tests/test_common.py``).
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import pickle
import warnings
from unittest import mock

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from skorch import NeuralNet
from skorch.callbacks import Callback, Checkpoint, LoadInitState
from skorch.exceptions import DeviceWarning

from sklearn_zsl.metrics import zsl_scorer
from sklearn_zsl.model_selection import ZSLKFold
from sklearn_zsl.utils._test_common import estimators_sized_for_tests

ESTIMATORS = estimators_sized_for_tests()
DEEP = ["dem", "izf-bayes", "izf-softmax", "izf-gaussian"]


@pytest.fixture(scope="module")
def data(tiny_zsl_data):
    return tiny_zsl_data


@pytest.fixture(scope="module")
def fitted(data):
    X_train, y_train, _, semantics = data
    return {
        name: clone(ESTIMATORS[name]).fit(X_train, y_train, class_semantics=semantics)
        for name in DEEP
    }


def _outputs(clf, X):
    """Everything a fitted estimator predicts from X."""
    outputs = {
        "decision_function": clf.decision_function(X),
        "predict": clf.predict(X),
        "predict_zsl": clf.predict(X, candidates=clf.unseen_classes_),
    }
    if hasattr(clf, "predict_proba"):
        outputs["predict_proba"] = clf.predict_proba(X)
    if hasattr(clf, "sample"):
        outputs["sample"] = clf.sample(clf.unseen_classes_, 2, random_state=0)[0]
    return outputs


def _assert_same_outputs(clf, other, X):
    expected = _outputs(clf, X)
    for name, value in _outputs(other, X).items():
        assert_array_equal(value, expected[name], err_msg=name)


# -- persistence -----------------------------------------------------------------------
def _pickle_as_trained_on_cuda(clf):
    """Pickle ``clf`` as if trained on a GPU, without one.

    The estimator and its net say ``"cuda"``, and the tensors skorch pickles
    (module, criterion, optimiser state) are tagged with the location
    ``"cuda:0"``, exactly as torch tags tensors that live on a GPU.
    """
    clf = copy.deepcopy(clf)
    clf.device = clf.device_ = clf.net_.device = "cuda"
    getstate = NeuralNet.__getstate__

    def getstate_on_cuda(net):
        with mock.patch.object(
            torch.serialization, "location_tag", lambda storage: "cuda:0"
        ):
            return getstate(net)

    with mock.patch.object(NeuralNet, "__getstate__", getstate_on_cuda):
        return pickle.dumps(clf), getstate_on_cuda(clf.net_)


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
@pytest.mark.parametrize("name", DEEP)
def test_model_trained_on_cuda_loads_on_a_cpu_only_machine(fitted, data, name):
    """Check that a GPU-trained model unpickles on the CPU and predicts the same."""
    payload, net_state = _pickle_as_trained_on_cuda(fitted[name])
    # The tensors really are CUDA tensors to torch: loaded as they are, they fail.
    with pytest.raises(RuntimeError, match="deserialize object on a CUDA device"):
        pickle.loads(net_state["__cuda_dependent_attributes__"])
    with pytest.warns(DeviceWarning) as record:
        loaded = pickle.loads(payload)
    messages = " ".join(str(warning.message) for warning in record)
    assert 'no CUDA devices are available. Loading on device "cpu"' in messages
    assert str(loaded.net_.device) == "cpu"
    assert not next(loaded.net_.module_.parameters()).is_cuda
    assert loaded.device_ == "cpu"
    _assert_same_outputs(fitted[name], loaded, data[2])


@pytest.mark.parametrize("name", DEEP)
def test_unpickling_loads_tensors_with_weights_only(fitted, name):
    """Check that every torch.load of an unpickling uses weights_only=True."""
    payload = pickle.dumps(fitted[name])
    calls = []
    load = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs.get("weights_only"))
        return load(*args, **kwargs)

    with mock.patch.object(torch, "load", spy):
        pickle.loads(payload)
    assert calls and all(weights_only is True for weights_only in calls)


# -- determinism -----------------------------------------------------------------------
GRIDS = {
    "eszsl": {"alpha": [0.1, 10.0]},
    "sae": {"alpha": [0.01, 1.0]},
    "sae-visual": {"alpha": [0.01, 1.0]},
    "gfzsl-bayes": {"alpha": [0.1, 10.0]},
    "gfzsl-softmax": {"softmax_C": [0.1, 10.0]},
    "dem": {"lr": [1e-3, 1e-2]},
    "izf-bayes": {"lr": [1e-3, 5e-3]},
    "izf-softmax": {"softmax_C": [0.1, 10.0]},
    "izf-gaussian": {"lr": [1e-3, 5e-3]},
}


@pytest.mark.parametrize("name", ESTIMATORS)
def test_grid_search_refit_equals_a_direct_fit(data, name):
    """Check that GridSearchCV's refitted model is the direct fit of best_params_."""
    X_train, y_train, X, semantics = data
    search = GridSearchCV(
        ESTIMATORS[name], GRIDS[name], cv=ZSLKFold(n_splits=2), scoring=zsl_scorer
    )
    search.fit(X_train, y_train, class_semantics=semantics)
    direct = clone(ESTIMATORS[name]).set_params(**search.best_params_)
    direct.fit(X_train, y_train, class_semantics=semantics)
    _assert_same_outputs(direct, search.best_estimator_, X)


# -- interruption and checkpoints ------------------------------------------------------
class InterruptAt(Callback):
    """Raise ``KeyboardInterrupt``, as Ctrl-C would, in epoch ``epoch``."""

    def __init__(self, epoch, where="epoch_end"):
        self.epoch = epoch
        self.where = where

    def on_batch_end(self, net, **kwargs):
        if self.where == "batch" and len(net.history) == self.epoch:
            raise KeyboardInterrupt

    def on_epoch_end(self, net, **kwargs):
        if self.where == "epoch_end" and len(net.history) == self.epoch:
            raise KeyboardInterrupt


class RecordWeights(Callback):
    """Keep a copy of the module's weights at the start and after every epoch."""

    def on_train_begin(self, net, **kwargs):
        self.weights_ = {len(net.history): copy.deepcopy(net.module_.state_dict())}

    def on_epoch_end(self, net, **kwargs):
        self.weights_[len(net.history)] = copy.deepcopy(net.module_.state_dict())


class RecordEpochs(Callback):
    """Record the length of the history at the end of every epoch."""

    def on_train_begin(self, net, **kwargs):
        self.epochs_ = []

    def on_epoch_end(self, net, **kwargs):
        self.epochs_.append(len(net.history))


def _assert_weights_equal(clf, expected):
    actual = clf.net_.module_.state_dict()
    assert actual.keys() == expected.keys()
    for key, value in expected.items():
        assert torch.equal(actual[key], value), key


def _deep(name, **params):
    return clone(ESTIMATORS[name]).set_params(**params)


@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("name", DEEP)
def test_keyboard_interrupt_keeps_the_best_weights_so_far(data, name, early_stopping):
    """Check that Ctrl-C in epoch 3 leaves a usable model with the best weights."""
    X_train, y_train, X, semantics = data
    clf = _deep(
        name,
        early_stopping=early_stopping,
        n_iter_no_change=6,
        callbacks=[RecordWeights(), InterruptAt(3)],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        clf.fit(X_train, y_train, class_semantics=semantics)
    assert clf.n_iter_ == 3
    stopper = dict(clf.net_.callbacks_).get("early_stopping")
    assert (stopper is not None) == early_stopping
    expected_epoch = stopper.best_epoch_ if early_stopping else 3
    assert 1 <= clf.best_epoch_ == expected_epoch <= 3
    weights = dict(clf.net_.callbacks_)["RecordWeights"].weights_
    _assert_weights_equal(clf, weights[expected_epoch])
    proba = clf.predict_proba(X)
    assert np.all(np.isfinite(proba))
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(clf.predict(X), clf.classes_[np.argmax(proba, axis=1)])


@pytest.mark.parametrize("name", DEEP)
def test_keyboard_interrupt_within_a_batch_leaves_a_usable_model(data, name):
    """Check that Ctrl-C in the middle of an epoch still gives a finished model."""
    X_train, y_train, X, semantics = data
    clf = _deep(name, batch_size=8, callbacks=[InterruptAt(2, where="batch")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        clf.fit(X_train, y_train, class_semantics=semantics)
    assert clf.n_iter_ == 2
    assert "train_loss" not in clf.net_.history[-1]
    assert np.all(np.isfinite(clf.decision_function(X)))
    assert_array_equal(clf.predict(X), pickle.loads(pickle.dumps(clf)).predict(X))


@pytest.mark.parametrize("name", ["dem", "izf-bayes"])
def test_keyboard_interrupt_says_so(data, name):
    """Check that an interrupted fit warns, naming the epoch and the weights kept."""
    X_train, y_train, _, semantics = data
    clf = _deep(
        name, early_stopping=False, callbacks=[InterruptAt(2)], seen_penalty=0.0
    )
    with pytest.warns(
        UserWarning,
        match=r"training was interrupted \(KeyboardInterrupt\) in epoch 2 of 5; "
        r"the model was completed with the weights of the last training step",
    ) as record:
        clf.fit(X_train, y_train, class_semantics=semantics)
    # the warning points at the call of fit
    assert [warning.filename for warning in record] == [__file__]


@pytest.mark.parametrize("name", DEEP)
def test_interrupted_before_the_first_validation_keeps_epoch_one(data, name):
    """Check that best_epoch_ counts from 1 after Ctrl-C in the first epoch.

    Early stopping has seen no validation loss yet (its best epoch is 0): the
    weights kept are those of the last step, in epoch 1 (issue 14: DEM
    reported 0).
    """
    X_train, y_train, _, semantics = data
    clf = _deep(
        name,
        early_stopping=True,
        batch_size=8,
        callbacks=[InterruptAt(1, where="batch")],
    )
    with pytest.warns(UserWarning, match="the weights of the last training step"):
        clf.fit(X_train, y_train, class_semantics=semantics)
    assert dict(clf.net_.callbacks_)["early_stopping"].best_epoch_ == 0
    assert clf.n_iter_ == clf.best_epoch_ == 1


@pytest.mark.parametrize(
    "params, n_iter",
    [
        ({"early_stopping": False}, 5),  # max_epochs
        ({"early_stopping": True, "n_iter_no_change": 1, "tol": 10.0}, 2),
    ],
    ids=["completed", "early-stopped"],
)
@pytest.mark.parametrize("name", DEEP)
def test_fits_ending_normally_do_not_warn(data, name, params, n_iter):
    """Check that a completed or early-stopped fit gives no interruption warning."""
    X_train, y_train, _, semantics = data
    # no calibration fit: the warnings checked are the training's
    clf = _deep(name, **params, seen_penalty=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        clf.fit(X_train, y_train, class_semantics=semantics)
    assert clf.n_iter_ == n_iter


@pytest.mark.parametrize("name", DEEP)
def test_user_callbacks_see_the_epoch_early_stopping_ends_on(data, name):
    """Check that user callbacks run at the end of the epoch training stops on.

    Early stopping ends training by raising at the end of an epoch: it runs
    after the user's callbacks, else they would miss that epoch (issue 14:
    IZF put it first).
    """
    X_train, y_train, _, semantics = data
    clf = _deep(
        name,
        early_stopping=True,
        n_iter_no_change=1,
        tol=10.0,
        callbacks=[RecordEpochs()],
    )
    clf.fit(X_train, y_train, class_semantics=semantics)
    assert clf.n_iter_ == 2
    assert dict(clf.net_.callbacks_)["RecordEpochs"].epochs_ == [1, 2]
    names = [name for name, _ in clf.net_.callbacks_]
    assert names.index("RecordEpochs") < names.index("early_stopping")


@pytest.mark.parametrize("name", ["dem", "izf-bayes"])
def test_checkpoint_then_resume_trains_the_remaining_epochs(data, name, tmp_path):
    """Check that a run interrupted in epoch 3 resumes from its checkpoint."""
    X_train, y_train, X, semantics = data

    def checkpoint():
        return Checkpoint(monitor=None, dirname=str(tmp_path))

    first = _deep(name, early_stopping=False, callbacks=[checkpoint(), InterruptAt(3)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        first.fit(X_train, y_train, class_semantics=semantics)
    for file_name in ("params.pt", "optimizer.pt", "criterion.pt", "history.json"):
        assert (tmp_path / file_name).is_file(), file_name

    resumed = _deep(
        name,
        early_stopping=False,
        callbacks=[checkpoint(), LoadInitState(checkpoint()), RecordWeights()],
    )
    resumed.fit(X_train, y_train, class_semantics=semantics)
    start = dict(resumed.net_.callbacks_)["RecordWeights"].weights_[3]
    _assert_weights_equal(first, start)
    history = resumed.net_.history
    assert resumed.n_iter_ == len(history) == resumed.max_epochs
    assert_allclose(history[:3, "train_loss"], first.net_.history[:, "train_loss"])
    assert np.all(np.isfinite(resumed.decision_function(X)))
