"""Reliability: bad inputs give clear errors, numerical faults never pass silently.

``BAD_INPUTS`` is the catalogue of user mistakes across the estimators,
``ClassSemantics``, the splitters, the scorers, the metrics and the loaders:
each must raise a ``ValueError`` or ``TypeError`` whose message names the
problem (and, where there is one, the fix). The other tests check that a
diverging or overflowing model is an error (or is never produced), and that
the flow bounds its log-scales and log-determinant.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import scipy.io
import torch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from skorch.callbacks import Callback, EpochTimer
from skorch.history import History

from sklearn_zsl import (
    ClassSemantics,
    ESZSLClassifier,
    SAEClassifier,
    check_class_semantics,
)
from sklearn_zsl.datasets import (
    load_class_semantics,
    load_xlsa17,
    make_zsl_from_semantics,
)
from sklearn_zsl.embedding import DEMClassifier
from sklearn_zsl.flow import IZFClassifier
from sklearn_zsl.flow._modules import _IZFFlow
from sklearn_zsl.metrics import (
    ausuc_score,
    ausuc_scorer,
    gzsl_scorer,
    gzsl_scores,
    harmonic_mean_score,
    per_class_accuracy_score,
    zsl_scorer,
)
from sklearn_zsl.model_selection import GZSLShuffleSplit, ZSLKFold
from sklearn_zsl.utils._skorch import _RelativeEarlyStopping
from sklearn_zsl.utils._test_common import TEST_SIZED_PARAMS

CUDA = torch.cuda.is_available()
NO_CUDA_ONLY = pytest.mark.skipif(CUDA, reason="CUDA is available here")

# Test-sized deep models: a fit takes a few milliseconds.
DEM_FAST = {**TEST_SIZED_PARAMS["DEMClassifier"], "early_stopping": False}
IZF_FAST = TEST_SIZED_PARAMS["IZFClassifier"]


def _write_xlsa17(root, rng):
    """A 4-class dataset in the xlsa17 layout: root/TOY/{att_splits,res101}.mat."""
    folder = root / "TOY"
    folder.mkdir()
    names = np.array(["ant", "bee", "cat", "dog"], dtype=object).reshape(-1, 1)
    splits = {
        "allclasses_names": names,
        "att": rng.rand(3, 4),
        "trainval_loc": np.arange(1, 7).reshape(-1, 1),
        "test_seen_loc": np.array([[7], [8]]),
        "test_unseen_loc": np.arange(9, 13).reshape(-1, 1),
    }
    scipy.io.savemat(folder / "att_splits.mat", splits)
    labels = np.array([1, 2, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4]).reshape(-1, 1)
    scipy.io.savemat(
        folder / "res101.mat", {"features": rng.rand(5, 12), "labels": labels}
    )
    return folder


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    """Data, fitted models and files shared by the cases of BAD_INPUTS."""
    rng = np.random.RandomState(0)
    X = rng.randn(12, 4)
    y = np.repeat([0, 1, 2], 4)
    semantics = ClassSemantics([0, 1, 2, 3], rng.rand(4, 3))
    X_nan, X_inf = X.copy(), X.copy()
    X_nan[0, 0], X_inf[1, 1] = np.nan, np.inf
    root = tmp_path_factory.mktemp("xlsa17")
    folder = _write_xlsa17(root, rng)
    garbage = root / "garbage.mat"
    garbage.write_bytes(b"this is not a MATLAB file" * 8)
    truncated = root / "truncated.mat"
    truncated.write_bytes((folder / "res101.mat").read_bytes()[:150])
    v73 = root / "v73.mat"
    v73.write_bytes(b"MATLAB 7.3 MAT-file".ljust(116) + b"\x00" * 8 + b"\x00\x02IM")
    no_labels = root / "no_labels.mat"
    scipy.io.savemat(no_labels, {"features": rng.rand(5, 12)})
    return SimpleNamespace(
        X=X,
        y=y,
        semantics=semantics,
        X_nan=X_nan,
        X_inf=X_inf,
        eszsl=ESZSLClassifier().fit(X, y, class_semantics=semantics),
        eszsl_seen_only=ESZSLClassifier().fit(X, y),
        sae=SAEClassifier().fit(X, y, class_semantics=semantics),
        S=semantics.to_numpy(),
        dem=DEMClassifier(**DEM_FAST).fit(X, y, class_semantics=semantics),
        izf=IZFClassifier(**IZF_FAST).fit(X, y, class_semantics=semantics),
        izf_bayes=IZFClassifier(**IZF_FAST, classifier="bayes").fit(
            X, y, class_semantics=semantics
        ),
        root=root,
        att_splits=folder / "att_splits.mat",
        garbage=garbage,
        truncated=truncated,
        v73=v73,
        no_labels=no_labels,
    )


def _case(call, error, match, id):
    return pytest.param(call, error, match, id=id)


def _changed(clf, **params):
    """A copy of the fitted ``clf`` with ``params`` set after fit (no refit)."""
    return copy.deepcopy(clf).set_params(**params)


MASK = np.array([False, False, True, True])
_PENALTY = (
    r"The 'seen_penalty' parameter of {} must be a str among \{{'auto'\}} or a "
    r"float in the range"
)
_REFIT = r"The {!r} parameter of {} was {!r} at fit and is {!r} now; .*refit after"
_MISMATCH = r"The labels of {} .* and of {} .* are of different types"
_MASK_HINT = r"A boolean mask is not read as labels: .*clf\.classes_\[mask\]"
_UNORDERED = r"{} is a {}, not an ordered sequence .*PYTHONHASHSEED"
_CANNOT_CLASSIFY = (
    r"(gives every class the same score|non-finite|overflowed).*Check the scale "
    r"of X and of the class semantics"
)
_DIVERGED = r"The training loss grew from .* the network diverged\. Lower lr"


# Each case: a callable of the shared context, the exception type and a regular
# expression the message must match (it names the problem and the fix).
BAD_INPUTS = [
    # -- ClassSemantics and check_class_semantics ------------------------------------
    _case(
        lambda c: ClassSemantics([0, 1], [[np.nan, 0.0], [0.0, 1.0]]),
        ValueError,
        r"contains NaN or infinite values \(rows \[0\]\); impute or drop",
        id="semantics-nan",
    ),
    _case(
        lambda c: ClassSemantics([0, 1], [[1.0, 0.0], [0.0, 1.0, 1.0]]),
        ValueError,
        r"one numeric vector of the same length per class",
        id="semantics-ragged-rows",
    ),
    _case(
        lambda c: check_class_semantics({"a": [1, 0], "b": [0, 1, 1]}),
        ValueError,
        r"Class vectors of different lengths .*every class needs a vector of the "
        r"same dimension",
        id="semantics-mapping-dimensions-differ",
    ),
    _case(
        lambda c: ClassSemantics([0, 1, 2], {"att": np.eye(3), "w2v": np.eye(2)}),
        ValueError,
        r"Modality 'w2v' has 2 rows but there are 3 class labels; give one row per",
        id="semantics-modality-rows-differ",
    ),
    _case(
        lambda c: ClassSemantics(
            [0, 1, 2], {"att": pd.DataFrame(np.eye(3), index=[0, 1, 5])}
        ),
        ValueError,
        r"Modality 'att' is indexed by other classes than the labels: missing "
        r"\[2\], unexpected \[5\]",
        id="semantics-modality-classes-differ",
    ),
    _case(
        lambda c: ClassSemantics(["cat", "dog", "cat"], np.eye(3)),
        ValueError,
        r"duplicate class labels \['cat'\]; each class must appear exactly once",
        id="semantics-duplicate-labels",
    ),
    _case(
        lambda c: ClassSemantics([0, "cat"], np.eye(2)),
        TypeError,
        r"class labels mix strings and numbers .*use one label type",
        id="semantics-mixed-label-types",
    ),
    _case(
        lambda c: ClassSemantics("cat", [[1.0]]),
        TypeError,
        r"class labels must be a 1-D sequence, got str",
        id="semantics-labels-a-string",
    ),
    _case(
        lambda c: ClassSemantics([0, 1], {0: np.eye(2)}),
        TypeError,
        r"Modality names must be strings, got 0",
        id="semantics-modality-name",
    ),
    _case(
        lambda c: ClassSemantics([0, 1], np.eye(2), normalize="zscore"),
        ValueError,
        r"Unknown normalisation 'zscore' .*choose one of",
        id="semantics-unknown-normalisation",
    ),
    _case(
        lambda c: ClassSemantics([0, 1], [[0.0, 0.0], [0.0, 1.0]], normalize="l2"),
        ValueError,
        r"all-zero class vector: it cannot be l2-normalised; use normalize='none'",
        id="semantics-l2-of-zero-vector",
    ),
    _case(
        lambda c: c.semantics.select([0, 9]),
        ValueError,
        r"No semantics for classes \[9\]; known classes are \[0, 1, 2, 3\]",
        id="semantics-select-unknown",
    ),
    # -- estimators: semantics -------------------------------------------------------
    _case(
        lambda c: ESZSLClassifier().fit(
            c.X, c.y, class_semantics=ClassSemantics([0, 1], np.eye(2))
        ),
        ValueError,
        r"No class semantics for the classes \[2\] of y; every class in y needs a "
        r"semantic vector",
        id="eszsl-class-of-y-without-semantics",
    ),
    _case(
        lambda c: IZFClassifier(**IZF_FAST).fit(
            c.X, c.y, class_semantics={0: [1.0, 0.0], 1: [0.0, 1.0]}
        ),
        ValueError,
        r"No class semantics for the classes \[2\] of y",
        id="izf-class-of-y-without-semantics",
    ),
    _case(
        lambda c: SAEClassifier().fit(
            c.X, np.repeat(["a", "b", "c"], 4), class_semantics=c.semantics
        ),
        ValueError,
        r"labels of y \(\['a', 'b', 'c'\]\) and of the class semantics .* are of "
        r"different types; index the semantics by the labels used in y",
        id="sae-label-types-of-y-and-semantics-differ",
    ),
    _case(
        lambda c: ESZSLClassifier().fit(
            c.X,
            c.y,
            class_semantics=pd.DataFrame(
                [[np.inf, 0.0], [0.0, 1.0], [1.0, 1.0]], index=[0, 1, 2]
            ),
        ),
        ValueError,
        r"contains NaN or infinite values",
        id="eszsl-inf-in-semantics",
    ),
    _case(
        lambda c: DEMClassifier(**DEM_FAST).fit(
            c.X, c.y, class_semantics=pd.DataFrame(np.eye(3), index=[0, 0, 2])
        ),
        ValueError,
        r"DataFrame index: duplicate class labels \[0\]",
        id="dem-duplicate-labels-in-dataframe",
    ),
    _case(
        lambda c: ESZSLClassifier().fit(c.X, c.y, class_semantics=np.eye(3).tolist()),
        TypeError,
        r"got list\. A bare list or array carries no class labels: use "
        r"ClassSemantics\(labels, matrix\)",
        id="eszsl-semantics-as-a-bare-list",
    ),
    _case(
        # an InvalidParameterError, a TypeError as for the fit argument above
        lambda c: SAEClassifier(class_semantics=np.eye(3)).fit(c.X, c.y),
        TypeError,
        r"The 'class_semantics' parameter of SAEClassifier must be an instance of "
        r"'sklearn_zsl\.semantics\.ClassSemantics', an instance of "
        r"'pandas\.DataFrame', an instance of 'collections\.abc\.Mapping' or "
        r"None\. Got array",
        id="sae-constructor-semantics-as-a-bare-array",
    ),
    _case(
        lambda c: DEMClassifier(hidden_layer_sizes=(), max_epochs=1).fit(
            c.X,
            c.y,
            class_semantics=ClassSemantics(
                [0, 1, 2], {"att": np.eye(3), "w2v": np.ones((3, 2))}
            ),
        ),
        ValueError,
        r"Fusing 2 semantic modalities needs at least one hidden layer; set "
        r"hidden_layer_sizes",
        id="dem-fusion-without-hidden-layer",
    ),
    # -- estimators: X, y and parameters ----------------------------------------------
    _case(
        lambda c: ESZSLClassifier().fit(c.X_nan, c.y, class_semantics=c.semantics),
        ValueError,
        r"Input X contains NaN",
        id="eszsl-nan-in-X",
    ),
    _case(
        lambda c: DEMClassifier(**DEM_FAST).fit(
            c.X_inf, c.y, class_semantics=c.semantics
        ),
        ValueError,
        r"Input X contains infinity",
        id="dem-inf-in-X",
    ),
    _case(
        lambda c: c.izf.predict(c.X_nan),
        ValueError,
        r"Input X contains NaN",
        id="izf-nan-in-X-at-predict",
    ),
    _case(
        lambda c: SAEClassifier().fit(c.X[:, 0], c.y, class_semantics=c.semantics),
        ValueError,
        r"(?s)Expected 2D array, got 1D array instead.*Reshape your data",
        id="sae-1d-X",
    ),
    _case(
        lambda c: c.izf.decision_function(c.X[0]),
        ValueError,
        r"(?s)Expected 2D array, got 1D array instead.*Reshape your data",
        id="izf-1d-X-at-predict",
    ),
    _case(
        lambda c: c.eszsl.predict(c.X[:, :3]),
        ValueError,
        r"X has 3 features, but ESZSLClassifier is expecting 4 features",
        id="eszsl-wrong-n-features-at-predict",
    ),
    _case(
        lambda c: c.dem.predict(c.X[:, :3]),
        ValueError,
        r"X has 3 features, but DEMClassifier is expecting 4 features",
        id="dem-wrong-n-features-at-predict",
    ),
    _case(
        lambda c: c.izf.predict_proba(np.hstack([c.X, c.X])),
        ValueError,
        r"X has 8 features, but IZFClassifier is expecting 4 features",
        id="izf-wrong-n-features-at-predict",
    ),
    _case(
        lambda c: c.eszsl.predict(c.X, candidates=[3, 7]),
        ValueError,
        r"Unknown candidates \[7\]; candidates must be among classes_ "
        r"\[0, 1, 2, 3\]",
        id="eszsl-unknown-candidates",
    ),
    _case(
        lambda c: c.dem.predict(c.X, candidates="3"),
        ValueError,
        r"candidates must be a 1-D array-like of class labels, e\.g\. "
        r"clf\.unseen_classes_",
        id="dem-candidates-a-string",
    ),
    _case(
        lambda c: c.eszsl_seen_only.predict(
            c.X, candidates=c.eszsl_seen_only.unseen_classes_
        ),
        ValueError,
        r"candidates is empty; give at least one class label",
        id="eszsl-no-unseen-class-to-predict",
    ),
    _case(
        lambda c: c.izf.sample([9], 2),
        ValueError,
        r"Unknown classes \[9\]; classes must be among classes_",
        id="izf-sample-unknown-class",
    ),
    _case(
        lambda c: ESZSLClassifier().fit(
            c.X, np.zeros(12, dtype=int), class_semantics=c.semantics
        ),
        ValueError,
        r"ESZSLClassifier needs at least 2 seen classes in y, got 1 class \[0\]; "
        r"add samples of other classes",
        id="eszsl-single-seen-class",
    ),
    _case(
        lambda c: IZFClassifier(**IZF_FAST).fit(c.X[:4], c.y[:4]),
        ValueError,
        r"IZFClassifier needs at least 2 seen classes in y, got 1 class",
        id="izf-single-seen-class",
    ),
    _case(
        lambda c: DEMClassifier(lr=-1.0).fit(c.X, c.y),
        ValueError,
        r"The 'lr' parameter of DEMClassifier must be a float in the range "
        r"\(0(\.0)?, inf\)\. Got -1\.0 instead",
        id="dem-negative-learning-rate",
    ),
    _case(
        lambda c: SAEClassifier().predict(c.X),
        NotFittedError,
        r"This SAEClassifier instance is not fitted yet\. Call 'fit'",
        id="sae-predict-before-fit",
    ),
    pytest.param(
        lambda c: DEMClassifier(**DEM_FAST, device="cuda").fit(c.X, c.y),
        ValueError,
        r"device='cuda' but CUDA is not available to torch .*use device='cpu', or "
        r"device='auto'",
        id="dem-cuda-without-cuda",
        marks=NO_CUDA_ONLY,
    ),
    pytest.param(
        lambda c: IZFClassifier(**IZF_FAST, device="cuda:0").fit(c.X, c.y),
        ValueError,
        r"device='cuda:0' but CUDA is not available to torch",
        id="izf-cuda-without-cuda",
        marks=NO_CUDA_ONLY,
    ),
    _case(
        lambda c: IZFClassifier(**IZF_FAST, device="gpu").fit(c.X, c.y),
        ValueError,
        r"Unknown device 'gpu'; use 'cpu', 'cuda', 'cuda:<index>' or 'auto'",
        id="izf-unknown-device",
    ),
    # -- splitters --------------------------------------------------------------------
    _case(
        lambda c: list(ZSLKFold(n_splits=5).split(c.X, c.y)),
        ValueError,
        r"ZSLKFold\(n_splits=5\) needs at least 10 classes in y, got 3.*hold out "
        r"at least 2 classes.*Add classes: 2 folds need 4",
        id="kfold-more-folds-than-classes",
    ),
    _case(
        lambda c: list(
            ZSLKFold(n_splits=3).split(np.zeros((10, 1)), np.arange(10) % 5)
        ),
        ValueError,
        r"ZSLKFold\(n_splits=3\) needs at least 6 classes in y, got 5.*Use "
        r"n_splits=2 or fewer",
        id="kfold-one-class-folds",
    ),
    _case(
        lambda c: list(GZSLShuffleSplit(unseen_size=1).split(c.X, c.y)),
        ValueError,
        r"unseen_size=1 holds out 1 of the 3 classes of y; each split needs at "
        r"least 2 unseen classes.*Raise unseen_size",
        id="gzsl-split-one-unseen-class",
    ),
    _case(
        lambda c: list(GZSLShuffleSplit(unseen_size=2).split(c.X, c.y)),
        ValueError,
        r"unseen_size=2 holds out 2 of the 3 classes of y, leaving 1 seen "
        r"class\(es\).*Lower unseen_size or add classes",
        id="gzsl-split-too-many-unseen-classes",
    ),
    _case(
        lambda c: list(
            GZSLShuffleSplit(unseen_size=2, seen_test_size=0.9).split(
                np.zeros((12, 1)), np.repeat([0, 1, 2, 3], 3)
            )
        ),
        ValueError,
        r"seen_test_size=0\.9 would leave a seen class without training samples"
        r".*Lower seen_test_size or unseen_size",
        id="gzsl-split-seen-test-size-too-large",
    ),
    _case(
        lambda c: list(ZSLKFold(n_splits=2).split(c.X, np.linspace(0, 1, 12))),
        ValueError,
        r"ZSLKFold needs class labels in y .*got a 'continuous' target",
        id="kfold-continuous-y",
    ),
    _case(
        lambda c: list(ZSLKFold(n_splits=2).split(c.X, None)),
        ValueError,
        r"ZSLKFold splits on the class labels, but y is None; pass the labels",
        id="kfold-without-y",
    ),
    _case(
        lambda c: list(ZSLKFold(n_splits=2, random_state=0).split(c.X, c.y)),
        ValueError,
        r"random_state has no effect since shuffle is False",
        id="kfold-random-state-without-shuffle",
    ),
    _case(
        lambda c: list(GZSLShuffleSplit().split(c.X, np.array([0, "a"] * 6, object))),
        ValueError,
        r"y of GZSLShuffleSplit.split: class labels mix strings and numbers "
        r"\(\[0, 'a'\]\); use one label type",
        id="gzsl-split-mixed-label-types",
    ),
    # -- scorers ----------------------------------------------------------------------
    _case(
        lambda c: zsl_scorer(c.eszsl, c.X, c.y),
        ValueError,
        r"y_true has no sample of an unseen class, so zero-shot accuracy is "
        r"undefined; score on a class-disjoint test set",
        id="zsl-scorer-no-unseen-class",
    ),
    _case(
        lambda c: zsl_scorer(c.eszsl, c.X, np.repeat([0, 1, 9], 4)),
        ValueError,
        r"y_true has classes \[9\] unknown to the estimator; fit it with class "
        r"semantics for every test class",
        id="zsl-scorer-unknown-class",
    ),
    _case(
        lambda c: zsl_scorer(LogisticRegression().fit(c.X, c.y), c.X, c.y),
        TypeError,
        r"needs a fitted zero-shot classifier exposing classes_ and seen_classes_",
        id="zsl-scorer-non-zero-shot-estimator",
    ),
    # -- metrics ----------------------------------------------------------------------
    _case(
        lambda c: per_class_accuracy_score([0, 1, 1], [0, 1]),
        ValueError,
        r"y_true and y_pred have different lengths \(3 and 2\); pass one "
        r"prediction per sample",
        id="metric-lengths-differ",
    ),
    _case(
        lambda c: per_class_accuracy_score([[0, 1]], [[0, 1]]),
        ValueError,
        r"y_true must be 1-D with one label per sample.*np\.ravel\(y_true\)",
        id="metric-2d-labels",
    ),
    _case(
        lambda c: per_class_accuracy_score([0.0, np.nan], [0.0, 1.0]),
        ValueError,
        r"y_true contains NaN or infinite labels; drop those samples first",
        id="metric-nan-label",
    ),
    _case(
        lambda c: per_class_accuracy_score([0, 1], [0, 1], labels=[0, 5]),
        ValueError,
        r"labels \[5\] have no sample in y_true.*labels=np\.intersect1d",
        id="metric-label-without-sample",
    ),
    _case(
        lambda c: gzsl_scores([0, 1], [0, 1], seen_classes=[0, 1]),
        ValueError,
        r"y_true has no sample of an unseen class, so acc_unseen and H are "
        r"undefined",
        id="gzsl-scores-no-unseen-class",
    ),
    _case(
        lambda c: harmonic_mean_score([0, 1], [0, 1], seen_classes=[7]),
        ValueError,
        r"y_true has no sample of a seen class, so acc_seen and H are undefined",
        id="harmonic-mean-no-seen-class",
    ),
    _case(
        lambda c: ausuc_score([0, 1], np.eye(2), classes=[0, 1], seen_classes=[0, 1]),
        ValueError,
        r"Every class in classes is seen; the seen-unseen curve needs at least one "
        r"unseen class",
        id="ausuc-no-unseen-class",
    ),
    _case(
        lambda c: ausuc_score([0, 1], np.eye(2), classes=[0, 0], seen_classes=[0]),
        ValueError,
        r"classes has duplicate labels \[0\]; give each class once",
        id="ausuc-duplicate-classes",
    ),
    _case(
        lambda c: ausuc_score(
            [0, 1], np.ones((2, 3)), classes=[0, 1], seen_classes=[0]
        ),
        ValueError,
        r"scores has 3 columns but there are 2 classes; give one column per class",
        id="ausuc-columns-and-classes-differ",
    ),
    _case(
        lambda c: ausuc_score(
            [0, 1], np.full((2, 2), np.nan), classes=[0, 1], seen_classes=[0]
        ),
        ValueError,
        r"Input scores contains NaN",
        id="ausuc-nan-scores",
    ),
    # -- issue 13: parameters changed after fit ----------------------------------------
    _case(
        lambda c: _changed(c.eszsl, seen_penalty=np.nan).predict(c.X),
        ValueError,
        _PENALTY.format("ESZSLClassifier") + r".*Got nan instead",
        id="eszsl-seen-penalty-nan-after-fit",
    ),
    _case(
        lambda c: _changed(c.dem, seen_penalty="0.5").decision_function(c.X),
        TypeError,
        _PENALTY.format("DEMClassifier"),
        id="dem-seen-penalty-a-string-after-fit",
    ),
    _case(
        lambda c: _changed(c.izf, seen_penalty=np.ones(4)).predict_proba(c.X),
        ValueError,
        _PENALTY.format("IZFClassifier"),
        id="izf-seen-penalty-an-array-after-fit",
    ),
    _case(
        lambda c: _changed(c.eszsl, seen_penalty=np.inf).predict(
            c.X, candidates=[2, 3]
        ),
        ValueError,
        _PENALTY.format("ESZSLClassifier"),
        id="eszsl-seen-penalty-inf-after-fit",
    ),
    _case(
        lambda c: _changed(c.sae, seen_penalty=None).predict(c.X),
        ValueError,
        _PENALTY.format("SAEClassifier"),
        id="sae-seen-penalty-none-after-fit",
    ),
    _case(
        lambda c: _changed(c.dem, metric="cosin").predict(c.X),
        ValueError,
        r"The 'metric' parameter of DEMClassifier must be a str among .*'cosin'",
        id="dem-metric-typo-after-fit",
    ),
    _case(
        lambda c: _changed(c.dem, metric="cosine").predict_proba(c.X),
        ValueError,
        _REFIT.format("metric", "DEMClassifier", "euclidean", "cosine"),
        id="dem-metric-switched-after-fit",
    ),
    _case(
        lambda c: _changed(c.izf_bayes, classifier="softmax").predict(c.X),
        ValueError,
        _REFIT.format("classifier", "IZFClassifier", "bayes", "softmax"),
        id="izf-classifier-switched-after-fit",
    ),
    _case(
        lambda c: _changed(c.izf, classifier="svm").decision_function(c.X),
        ValueError,
        r"The 'classifier' parameter of IZFClassifier must be a str among",
        id="izf-classifier-typo-after-fit",
    ),
    # -- issue 13: labels ------------------------------------------------------------
    _case(
        lambda c: ClassSemantics({"cat", "dog", "eel"}, np.eye(3)),
        TypeError,
        _UNORDERED.format("ClassSemantics", "set"),
        id="semantics-labels-a-set",
    ),
    _case(
        lambda c: ClassSemantics({"a": 0, "b": 1}.keys(), np.eye(2)),
        TypeError,
        _UNORDERED.format("ClassSemantics", "dict_keys"),
        id="semantics-labels-dict-keys",
    ),
    _case(
        lambda c: ClassSemantics(["cat", None], np.eye(2)),
        TypeError,
        r"class labels mix strings and None \(\['cat', None\]\)",
        id="semantics-labels-with-none",
    ),
    _case(
        lambda c: ClassSemantics([b"cat", "dog"], np.eye(2)),
        ValueError,
        r"class labels mix strings and bytes",
        id="semantics-labels-bytes-and-strings",
    ),
    _case(
        lambda c: ClassSemantics([True, 2], np.eye(2)),
        TypeError,
        r"class labels mix numbers and booleans",
        id="semantics-labels-booleans-and-numbers",
    ),
    _case(
        lambda c: check_class_semantics({"a": [1.0], "b": [0.0]}, y=[b"a", b"b"]),
        ValueError,
        _MISMATCH.format("y", "the class semantics") + r"; index the semantics",
        id="semantics-y-bytes-for-string-labels",
    ),
    _case(
        lambda c: ESZSLClassifier().fit(c.X, np.array([0, "a", 1] * 4, dtype=object)),
        TypeError,
        r"y: class labels mix strings and numbers",
        id="eszsl-y-mixes-strings-and-numbers",
    ),
    _case(
        lambda c: SAEClassifier().fit(c.X, np.array(["a", None, "b"] * 4, object)),
        TypeError,
        r"y: class labels mix strings and None",
        id="sae-y-with-none",
    ),
    _case(
        lambda c: c.eszsl.predict(c.X, candidates=MASK),
        TypeError,
        _MISMATCH.format("candidates", "classes_") + r".*" + _MASK_HINT,
        id="eszsl-candidates-a-boolean-mask",
    ),
    _case(
        lambda c: c.dem.predict(c.X, candidates={2, 3}),
        TypeError,
        _UNORDERED.format("candidates", "set"),
        id="dem-candidates-a-set",
    ),
    _case(
        lambda c: c.izf.predict(c.X, candidates=["2", "3"]),
        ValueError,
        _MISMATCH.format("candidates", "classes_"),
        id="izf-candidates-strings-for-integer-classes",
    ),
    _case(
        lambda c: c.izf.sample(MASK),
        TypeError,
        _MASK_HINT,
        id="izf-sample-a-boolean-mask",
    ),
    _case(
        lambda c: list(ZSLKFold(2).split(c.X, [0, 1, None] * 4)),
        TypeError,
        r"y of ZSLKFold.split: class labels mix numbers and None",
        id="kfold-y-with-none",
    ),
    _case(
        lambda c: list(GZSLShuffleSplit(2).split(c.X[:2], {0, 1})),
        TypeError,
        _UNORDERED.format(r"y of GZSLShuffleSplit\.split", "set"),
        id="gzsl-split-y-a-set",
    ),
    _case(
        lambda c: per_class_accuracy_score([0, 1, 2], ["0", "1", "2"]),
        ValueError,
        _MISMATCH.format("y_pred", "y_true") + r".*y_pred: strings, y_true: numbers",
        id="metric-integer-truth-string-predictions",
    ),
    _case(
        lambda c: per_class_accuracy_score(["a", "b"], [b"a", b"b"]),
        TypeError,
        _MISMATCH.format("y_pred", "y_true"),
        id="metric-bytes-predictions-string-truth",
    ),
    _case(
        lambda c: per_class_accuracy_score([0, 1], [0, 1], labels={0, 1}),
        TypeError,
        _UNORDERED.format("labels", "set"),
        id="metric-labels-a-set",
    ),
    _case(
        lambda c: gzsl_scores([0, 1, 2, 3], [0, 1, 2, 3], seen_classes=MASK),
        TypeError,
        _MISMATCH.format("seen_classes", "y_true") + r".*" + _MASK_HINT,
        id="metric-seen-classes-a-boolean-mask",
    ),
    _case(
        lambda c: per_class_accuracy_score([0, "a"], [0, "a"]),
        TypeError,
        r"y_true: class labels mix strings and numbers",
        id="metric-mixed-label-types",
    ),
    _case(
        lambda c: ausuc_score(
            [0, 1], np.eye(2), classes=["0", "1"], seen_classes=["0"]
        ),
        ValueError,
        _MISMATCH.format("classes", "y_true"),
        id="ausuc-classes-of-another-type",
    ),
    _case(
        lambda c: gzsl_scorer(c.eszsl, c.X, np.repeat([0, 1, 9], 4)),
        ValueError,
        r"y_true has classes \[9\] unknown to the estimator",
        id="gzsl-scorer-unknown-class",
    ),
    _case(
        lambda c: ausuc_scorer(c.eszsl, c.X, np.repeat([0, 1, 9], 4)),
        ValueError,
        r"y_true has classes \[9\] unknown to the estimator",
        id="ausuc-scorer-unknown-class",
    ),
    _case(
        lambda c: gzsl_scorer(c.eszsl, c.X, np.repeat(["0", "1", "3"], 4)),
        TypeError,
        _MISMATCH.format("y_true", "the estimator's classes_"),
        id="gzsl-scorer-string-labels-for-integer-classes",
    ),
    # -- issue 13: models that cannot classify ---------------------------------------
    _case(
        lambda c: ESZSLClassifier().fit(
            c.X, c.y, class_semantics=ClassSemantics([0, 1, 2, 3], c.S * 1e200)
        ),
        ValueError,
        _CANNOT_CLASSIFY,
        id="eszsl-semantics-scaled-1e200",
    ),
    _case(
        lambda c: SAEClassifier().fit(
            c.X, c.y, class_semantics=ClassSemantics([0, 1, 2, 3], c.S * 1e200)
        ),
        ValueError,
        _CANNOT_CLASSIFY,
        id="sae-semantics-scaled-1e200",
    ),
    _case(
        lambda c: ESZSLClassifier().fit(
            c.X, c.y, class_semantics=ClassSemantics([0, 1, 2, 3], np.ones((4, 3)))
        ),
        ValueError,
        _CANNOT_CLASSIFY,
        id="eszsl-identical-class-semantics",
    ),
    _case(
        lambda c: SAEClassifier().fit(
            c.X, c.y, class_semantics=ClassSemantics([0, 1, 2, 3], np.zeros((4, 2)))
        ),
        ValueError,
        _CANNOT_CLASSIFY,
        id="sae-all-zero-class-semantics",
    ),
    _case(
        lambda c: ESZSLClassifier().fit(c.X * 1e200, c.y, class_semantics=c.semantics),
        ValueError,
        _CANNOT_CLASSIFY,
        id="eszsl-X-scaled-1e200",
    ),
    _case(
        lambda c: DEMClassifier(**DEM_FAST).fit(
            c.X, c.y, class_semantics=ClassSemantics([0, 1, 2, 3], np.ones((4, 3)))
        ),
        ValueError,
        _CANNOT_CLASSIFY,
        id="dem-identical-class-semantics",
    ),
    _case(
        lambda c: DEMClassifier(**DEM_FAST, lr=1e8).fit(
            c.X * 1e6, c.y, class_semantics=c.semantics
        ),
        ValueError,
        _DIVERGED,
        id="dem-huge-lr-on-features-of-scale-1e6",
    ),
    _case(
        lambda c: DEMClassifier(**DEM_FAST, lr=1e3).fit(
            c.X, c.y, class_semantics=c.semantics
        ),
        ValueError,
        _DIVERGED,
        id="dem-large-lr-loss-grows",
    ),
    # -- issue 13: callbacks -----------------------------------------------------------
    _case(
        lambda c: DEMClassifier(**DEM_FAST, callbacks=["x"]).fit(c.X, c.y),
        TypeError,
        r"callbacks\[0\] is 'x' \(str\); each entry must be a skorch Callback "
        r"instance .* or a \(name, Callback\) pair",
        id="dem-callback-a-string",
    ),
    _case(
        lambda c: IZFClassifier(**IZF_FAST, callbacks=[1]).fit(c.X, c.y),
        TypeError,
        r"callbacks\[0\] is 1 \(int\)",
        id="izf-callback-an-int",
    ),
    _case(
        lambda c: IZFClassifier(**IZF_FAST, callbacks=[EpochTimer]).fit(c.X, c.y),
        TypeError,
        r"callbacks\[0\] is .*EpochTimer.*; each entry must be an instance, e\.g\. "
        r"EpochTimer\(\), not the class",
        id="izf-callback-a-class",
    ),
    _case(
        lambda c: DEMClassifier(
            **DEM_FAST, callbacks=[EpochTimer(), ("timer", "EpochTimer")]
        ).fit(c.X, c.y),
        TypeError,
        r"callbacks\[1\] is \('timer', 'EpochTimer'\) \(tuple\)",
        id="dem-callback-pair-without-callback",
    ),
    _case(
        lambda c: DEMClassifier(**DEM_FAST, callbacks=[(0, EpochTimer())]).fit(
            c.X, c.y
        ),
        TypeError,
        r"callbacks\[0\] is \(0, <skorch\.callbacks",
        id="dem-callback-name-not-a-string",
    ),
    # -- loaders and generators -------------------------------------------------------
    _case(
        lambda c: load_xlsa17(c.root, "TOY", features=c.garbage),
        ValueError,
        r"garbage\.mat' could not be read as a MATLAB \.mat file .*it is corrupt or "
        r"incomplete, download or write it again",
        id="xlsa17-corrupt-features-file",
    ),
    _case(
        lambda c: load_xlsa17(c.root, "TOY", features=c.truncated),
        ValueError,
        r"truncated\.mat' could not be read as a MATLAB \.mat file",
        id="xlsa17-truncated-features-file",
    ),
    _case(
        lambda c: load_xlsa17(c.root, "TOY", features=c.v73),
        ValueError,
        r"is a MATLAB v7\.3 \(HDF5\) file.*re-save it from MATLAB with "
        r"save\(\.\.\., '-v7'\)",
        id="xlsa17-matlab-v73-file",
    ),
    _case(
        lambda c: load_xlsa17(c.root, "TOY", features=c.no_labels),
        ValueError,
        r"no_labels\.mat' has no 'labels' entry .*the file is incomplete",
        id="xlsa17-incomplete-features-file",
    ),
    _case(
        lambda c: load_xlsa17(
            c.root,
            "TOY",
            extra_semantics={"w2v": ClassSemantics(["ant", "bee", "cat"], np.eye(3))},
        ),
        ValueError,
        r"do not match the dataset's: missing \['dog'\].*aligned by class name",
        id="xlsa17-extra-modality-of-other-classes",
    ),
    _case(
        lambda c: load_class_semantics(
            c.att_splits, key="att", class_names=["dog", "cat", "bee", "ant"]
        ),
        ValueError,
        r"class_names disagree with the allclasses_names of .*leave class_names "
        r"out to use the file's names",
        id="class-semantics-file-in-another-class-order",
    ),
    _case(
        lambda c: load_class_semantics(c.att_splits, key="wv"),
        ValueError,
        r"att_splits\.mat' has no 'wv' entry",
        id="class-semantics-file-without-key",
    ),
    _case(
        lambda c: make_zsl_from_semantics(c.semantics, unseen_classes=[7]),
        ValueError,
        r"unseen_classes \[7\] have no class semantics; each must be a label of "
        r"class_semantics",
        id="semisynthetic-unknown-unseen-class",
    ),
]


@pytest.mark.parametrize("call, error, err_msg", BAD_INPUTS)
def test_bad_input_raises_a_clear_error(ctx, call, error, err_msg):
    """Check that each bad input raises the right error, naming the problem."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(error, match=err_msg):
            call(ctx)


def test_catalogue_covers_every_area():
    """Check that the catalogue holds 30+ cases over every public area."""
    ids = [case.id for case in BAD_INPUTS]
    assert len(ids) == len(set(ids)) >= 30
    for prefix in ("semantics", "eszsl", "sae", "dem", "izf", "kfold", "gzsl-split"):
        assert any(i.startswith(prefix) for i in ids), prefix
    for area in ("scorer", "metric", "ausuc", "xlsa17", "class-semantics-file"):
        assert any(area in i for i in ids), area
    for case in BAD_INPUTS:
        assert issubclass(case.values[1], (ValueError, TypeError)), case.id


def test_modalities_are_aligned_by_label_not_by_position():
    """Check that DataFrame modalities in different class orders are realigned."""
    labels = ["ant", "bee", "cat"]
    attributes = pd.DataFrame(np.eye(3), index=labels)
    vectors = pd.DataFrame([[3.0], [1.0], [2.0]], index=["cat", "ant", "bee"])
    semantics = ClassSemantics(labels, {"att": attributes, "w2v": vectors})
    assert_array_equal(semantics.to_numpy("w2v").ravel(), [1.0, 2.0, 3.0])
    assert_array_equal(semantics.to_numpy("att"), np.eye(3))


# -- numerical faults ------------------------------------------------------------------
@pytest.fixture(scope="module")
def data(tiny_zsl_data):
    return tiny_zsl_data


def _check_never_silently_non_finite(clf, X_train, y_train, X, semantics):
    """Fit, then require a clear error (and no model) or finite scores."""
    try:
        clf.fit(X_train, y_train, class_semantics=semantics)
    except ValueError as exc:
        assert re.search(r"diverge|non-finite|NaN|inf", str(exc)), str(exc)
        with pytest.raises(NotFittedError):
            clf.predict(X)
        return
    assert np.all(np.isfinite(clf.decision_function(X)))


@pytest.mark.parametrize(
    "clf",
    [
        DEMClassifier(**DEM_FAST, lr=1e15),
        IZFClassifier(**IZF_FAST, lr=1e8),
    ],
    ids=["dem", "izf"],
)
def test_diverging_training_is_an_error(clf, data):
    """Check that a huge learning rate gives a clear error, never a NaN model."""
    X_train, y_train, X, semantics = data
    clf = clone(clf)
    with pytest.raises(ValueError, match=r"diverged\. Lower lr"):
        clf.fit(X_train, y_train, class_semantics=semantics)
    assert not hasattr(clf, "classes_") and not hasattr(clf, "net_")


UNSCALED_MODELS = {
    "eszsl": ESZSLClassifier(),
    "sae": SAEClassifier(),
    "dem": DEMClassifier(**DEM_FAST),
    "izf-bayes": IZFClassifier(**IZF_FAST, classifier="bayes"),
    "izf-softmax": IZFClassifier(**IZF_FAST, classifier="softmax"),
    "izf-gaussian": IZFClassifier(**IZF_FAST, classifier="gaussian"),
}


@pytest.mark.parametrize(
    "clf, scale",
    [
        pytest.param(
            clf,
            scale,
            id=f"{name}-{scale:g}",
        )
        for name, clf in UNSCALED_MODELS.items()
        for scale in (1e-12, 1e20)
    ],
)
def test_unscaled_features_never_give_a_silently_non_finite_model(clf, scale, data):
    """Check that features in extreme units train and predict finite scores."""
    X_train, y_train, X, semantics = data
    clf = clone(clf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _check_never_silently_non_finite(
            clf, X_train * scale, y_train, X * scale, semantics
        )


def test_flow_turning_non_finite_after_training_is_an_error(data):
    """Check that a flow whose outputs overflow is an error, not an inf variance."""

    class BlowUpWeights(Callback):
        def on_train_end(self, net, **kwargs):
            with torch.no_grad():
                for parameter in net.module_.parameters():
                    parameter.mul_(1e30)

    X_train, y_train, X, semantics = data
    clf = IZFClassifier(**IZF_FAST, callbacks=[BlowUpWeights()])
    with pytest.raises(ValueError, match=r"non-finite values: it diverged"):
        clf.fit(X_train, y_train, class_semantics=semantics)
    assert not hasattr(clf, "classes_")


@pytest.mark.parametrize("clamp", [0.5, 2.0])
def test_flow_bounds_its_log_scales_and_log_det(clamp):
    """Check that extreme inputs and weights keep the log-det finite and bounded."""
    torch.manual_seed(0)
    flow = _IZFFlow(6, 2, n_blocks=3, hidden_size=8, clamp=clamp).double()
    with torch.no_grad():
        for parameter in flow.parameters():
            parameter.normal_(0.0, 10.0)
    x = 1e6 * torch.randn(16, 6, dtype=torch.float64)
    c, z, log_det = flow(x)
    bound = clamp * flow.n_dims * flow.n_blocks
    assert torch.all(torch.isfinite(log_det))
    assert torch.all(log_det.abs() <= bound)
    assert torch.all(torch.isfinite(torch.cat([c, z], dim=1)))


def test_early_stopping_threshold_holds_for_negative_losses():
    """Check that a slightly worse negative loss is not taken as the best epoch."""
    stopper = _RelativeEarlyStopping(patience=5, threshold=0.01, sink=None)
    net = SimpleNamespace(history=History(), verbose=0)
    stopper.on_train_begin(net)
    for epoch, loss in enumerate([-10.0, -10.2, -10.15], start=1):
        net.history.new_epoch()
        net.history.record("epoch", epoch)
        net.history.record("valid_loss", loss)
        stopper.on_epoch_end(net)
    # skorch's rule, score * (1 - threshold), would take the worse -10.15.
    assert stopper.best_epoch_ == 2
    assert stopper.misses_ == 1
    assert_allclose(stopper.dynamic_threshold_, -10.2 * 1.01)


# -- issue 13: models that cannot classify, parameters changed after fit -----------
CLASSIFYING_MODELS = {
    "eszsl": ESZSLClassifier(),
    "sae": SAEClassifier(),
    "sae-visual": SAEClassifier(space="visual"),
    "dem": DEMClassifier(**DEM_FAST),
    "izf-bayes": IZFClassifier(**IZF_FAST, classifier="bayes"),
}
DEGENERATE_SEMANTICS = {
    "identical-rows": lambda S: np.ones_like(S),
    "all-zero": np.zeros_like,
    "scaled-1e-200": lambda S: S * 1e-200,
}


@pytest.mark.parametrize(
    "name, transform",
    [
        (name, transform)
        for name in CLASSIFYING_MODELS
        for transform in DEGENERATE_SEMANTICS
        # IZF min-max scales the semantics: at 1e-200 they still classify
        if (name, transform) != ("izf-bayes", "scaled-1e-200")
    ],
)
def test_model_that_cannot_classify_is_an_error_at_fit(name, transform, data):
    """Check that semantics that cannot tell the classes apart fail at fit.

    Issue 13: such a model gave every class the same score and predicted
    classes_[0] everywhere, with at most a warning. The error names the
    problem and the fix, and leaves the estimator unfitted.
    """
    X_train, y_train, _, semantics = data
    bad = ClassSemantics(
        semantics.labels, DEGENERATE_SEMANTICS[transform](semantics.to_numpy())
    )
    clf = clone(CLASSIFYING_MODELS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(ValueError, match=_CANNOT_CLASSIFY):
            clf.fit(X_train, y_train, class_semantics=bad)
    assert not hasattr(clf, "classes_") and not hasattr(clf, "net_")
    assert not hasattr(clf, "_fitted_params")


@pytest.mark.parametrize("name", ["eszsl", "sae", "sae-visual", "dem"])
def test_overflow_at_fit_is_an_error_with_a_hint(name, data):
    """Check that semantics scaled by 1e200 overflow into a clear error (issue 13)."""
    X_train, y_train, _, semantics = data
    huge = ClassSemantics(semantics.labels, semantics.to_numpy() * 1e200)
    clf = clone(CLASSIFYING_MODELS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # an error, not a warning
        with pytest.raises(ValueError, match=_CANNOT_CLASSIFY):
            clf.fit(X_train, y_train, class_semantics=huge)
    assert not hasattr(clf, "classes_")


def test_loss_growth_names_the_learning_rate(data):
    """Check that DEM's loss growing to 1e30 is divergence, not a fitted model."""
    X_train, y_train, _, semantics = data
    clf = DEMClassifier(**DEM_FAST, lr=1e8)
    with pytest.raises(ValueError, match=_DIVERGED):
        clf.fit(X_train * 1e6, y_train, class_semantics=semantics)
    assert not hasattr(clf, "net_")


def test_ordinary_learning_rates_never_trip_the_loss_guard(data):
    """Check that the loss-growth guard leaves a normal training run alone."""
    X_train, y_train, _, semantics = data
    for lr in (1e-4, 1e-2):
        clf = DEMClassifier(**{**DEM_FAST, "max_epochs": 30}, lr=lr)
        clf.fit(X_train, y_train, class_semantics=semantics)
        assert np.all(np.isfinite(clf.decision_function(X_train)))


def test_refit_parameter_set_back_predicts_again(data):
    """Check that switching DEM's metric back to its fit-time value works."""
    X_train, y_train, X, semantics = data
    clf = clone(CLASSIFYING_MODELS["dem"]).fit(
        X_train, y_train, class_semantics=semantics
    )
    expected = clf.predict(X)
    clf.set_params(metric="cosine")
    with pytest.raises(ValueError, match=r"refit after changing it"):
        clf.predict(X)
    clf.set_params(metric="euclidean")
    assert_array_equal(clf.predict(X), expected)
    refitted = clf.set_params(metric="cosine").fit(
        X_train, y_train, class_semantics=semantics
    )
    assert refitted.predict(X).shape == expected.shape
