"""
==================================================
Real benchmark: the xlsa17 proposed split
==================================================

This example runs the zero-shot protocol of Xian et al. on the **real**
ResNet-101 features of one xlsa17 benchmark (CUB by default): hyperparameters
chosen on the benchmark's validation classes, a model refitted on all
training classes, calibrated stacking tuned on validation data, and one final
evaluation on the test split.

The features are not distributed with sklearn-zsl. The example runs only when
the environment variable ``XLSA17_ROOT`` points at a folder holding the
dataset's ``att_splits.mat`` and ``res101.mat`` (for instance
``$XLSA17_ROOT/CUB/``); otherwise it explains how to get them and stops
there. ``XLSA17_DATASET`` chooses the dataset (``AWA1``, ``AWA2``, ``CUB``,
``SUN`` or ``APY``).
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Finding the data
# ----------------
import os

import matplotlib.pyplot as plt
import numpy as np

from sklearn_zsl.datasets import load_xlsa17

dataset_name = os.environ.get("XLSA17_DATASET", "CUB")
root = os.environ.get("XLSA17_ROOT")

HOW_TO_GET_THE_DATA = """\
This example needs the real xlsa17 files, which are not distributed with
sklearn-zsl. To run it:

1. download the archive of Xian et al., "Zero-Shot Learning - A Comprehensive
   Evaluation of the Good, the Bad and the Ugly" (TPAMI 2018), from the
   authors' page (Max Planck Institute for Informatics, "xlsa17"), and unpack it;
2. point XLSA17_ROOT at the folder that holds one sub-folder per dataset,
   e.g. export XLSA17_ROOT=/data/xlsa17/data  (with CUB/res101.mat and
   CUB/att_splits.mat below it);
3. optionally choose the dataset: export XLSA17_DATASET=AWA2
   (default CUB; AWA1, AWA2, CUB, SUN or APY);
4. run this script again, or rebuild the documentation.

Nothing below was run."""

dataset = None
if root is None:
    print("XLSA17_ROOT is not set.\n")
    print(HOW_TO_GET_THE_DATA)
else:
    try:
        dataset = load_xlsa17(root, dataset_name)
    except FileNotFoundError as exc:
        print(f"Could not load {dataset_name} from XLSA17_ROOT={root}: {exc}\n")
        print(HOW_TO_GET_THE_DATA)

# %%
# The split
# ---------
#
# ``trainval`` holds the samples of the seen classes used for training;
# ``test_seen`` held-out samples of the same classes and ``test_unseen`` the
# samples of the unseen classes. The validation folds hold out seen classes
# only: the test classes take no part in the model selection.
if dataset is not None:
    print(dataset.DESCR)
    trainval = dataset.trainval_indices
    X_train, y_train = dataset.data[trainval], dataset.target[trainval]
    test = np.concatenate([dataset.test_seen_indices, dataset.test_unseen_indices])
    X_test, y_test = dataset.data[test], dataset.target[test]
    X_unseen = dataset.data[dataset.test_unseen_indices]
    y_unseen = dataset.target[dataset.test_unseen_indices]
    semantics = dataset.class_semantics
    print(f"trainval: {y_train.size} samples of {np.unique(y_train).size} classes")
    print(
        f"test: {dataset.test_seen_indices.size} seen-class and "
        f"{dataset.test_unseen_indices.size} unseen-class samples"
    )

    # The folds index ``data``; the search sees the trainval part only.
    position = np.full(dataset.data.shape[0], -1)
    position[trainval] = np.arange(trainval.size)
    cv = [(position[fit], position[val]) for fit, val in dataset.validation_folds]
    print(f"{len(cv)} class-disjoint validation folds")

# %%
# Model selection on the validation classes
# -----------------------------------------
#
# ESZSL and SAE are searched on a logarithmic grid, as in their papers, for
# ZSL accuracy on the validation classes. Features are L2-normalised inside
# the pipeline.
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from sklearn_zsl.linear import ESZSLClassifier, SAEClassifier
from sklearn_zsl.metrics import zsl_scorer

searches = {
    "ESZSL": GridSearchCV(
        make_pipeline(Normalizer(), ESZSLClassifier()),
        {
            "eszslclassifier__alpha": np.logspace(-3, 3, 7),
            "eszslclassifier__beta": np.logspace(-3, 3, 7),
        },
        cv=cv if dataset is not None else None,
        scoring=zsl_scorer,
    ),
    "SAE": GridSearchCV(
        make_pipeline(Normalizer(), SAEClassifier()),
        {
            "saeclassifier__alpha": np.logspace(-3, 3, 7),
            "saeclassifier__space": ["semantic", "visual"],
        },
        cv=cv if dataset is not None else None,
        scoring=zsl_scorer,
    ),
}
if dataset is not None:
    for name, search in searches.items():
        step = search.estimator.steps[-1][0]
        search.fit(X_train, y_train, **{f"{step}__class_semantics": semantics})
        best = {
            key.split("__")[1]: (float(value) if isinstance(value, float) else value)
            for key, value in search.best_params_.items()
        }
        print(
            f"{name}: best {best}, validation ZSL accuracy "
            f"{search.best_score_:.3f} (real features)"
        )

# %%
# Calibrated stacking on validation data
# --------------------------------------
#
# The seen penalty is chosen on the first validation fold: a model fitted on
# the fold's training classes scores its validation classes (unseen to it)
# together with a fifth of its training samples, held out.
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from sklearn_zsl.metrics import best_seen_penalty

penalties = {}
if dataset is not None:
    fit_idx, val_idx = cv[0]
    fit_idx, seen_val_idx = train_test_split(
        fit_idx, test_size=0.2, stratify=y_train[fit_idx], random_state=0
    )
    val_idx = np.concatenate([seen_val_idx, val_idx])
    for name, search in searches.items():
        step = search.estimator.steps[-1][0]
        model = clone(search.best_estimator_).fit(
            X_train[fit_idx],
            y_train[fit_idx],
            **{f"{step}__class_semantics": semantics},
        )
        clf = model[-1]
        penalties[name] = best_seen_penalty(
            y_train[val_idx],
            model.decision_function(X_train[val_idx]),
            classes=clf.classes_,
            seen_classes=clf.seen_classes_,
        )
        print(f"{name}: seen_penalty {penalties[name]:.4f}")

# %%
# Final evaluation on the test split
# ----------------------------------
from sklearn_zsl.metrics import (
    ausuc_score,
    gzsl_scores,
    per_class_accuracy_score,
    seen_unseen_curve,
)

if dataset is not None:
    fig, ax = plt.subplots(figsize=(5.5, 5))
    for name, search in searches.items():
        model = search.best_estimator_
        clf = model[-1]
        step = model.steps[-1][0]
        zsl = per_class_accuracy_score(
            y_unseen, model.predict(X_unseen, candidates=clf.unseen_classes_)
        )
        raw = gzsl_scores(y_test, model.predict(X_test), seen_classes=clf.seen_classes_)
        model.set_params(**{f"{step}__seen_penalty": penalties[name]})
        calibrated = gzsl_scores(
            y_test, model.predict(X_test), seen_classes=clf.seen_classes_
        )
        model.set_params(**{f"{step}__seen_penalty": 0.0})
        scores = model.decision_function(X_test)
        area = ausuc_score(
            y_test, scores, classes=clf.classes_, seen_classes=clf.seen_classes_
        )
        print(
            f"{name} on {dataset_name} (real features): ZSL {zsl:.3f}; GZSL "
            f"u {raw['acc_unseen']:.3f} s {raw['acc_seen']:.3f} H {raw['H']:.3f}; "
            f"calibrated u {calibrated['acc_unseen']:.3f} "
            f"s {calibrated['acc_seen']:.3f} H {calibrated['H']:.3f}; "
            f"AUSUC {area:.3f}"
        )
        _, acc_seen, acc_unseen = seen_unseen_curve(
            y_test, scores, classes=clf.classes_, seen_classes=clf.seen_classes_
        )
        ax.plot(acc_unseen, acc_seen, label=f"{name}, AUSUC {area:.3f}")
    ax.set_xlabel("accuracy on unseen classes")
    ax.set_ylabel("accuracy on seen classes")
    ax.set_title(f"{dataset_name}, real ResNet-101 features")
    ax.legend()
    fig.tight_layout()
    plt.show()
