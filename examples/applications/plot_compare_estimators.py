"""
=======================================================
Comparing the estimators on semi-synthetic AwA2 and CUB
=======================================================

This example compares the zero-shot classifiers of sklearn-zsl on two
semi-synthetic benchmarks: the **real class attributes and the real
seen/unseen split** of AwA2 (50 animals, 85 attributes) and CUB (200 birds,
312 attributes) from the xlsa17 files of Xian et al., with **synthetic
features** drawn from them by
:func:`~sklearn_zsl.datasets.make_zsl_from_semantics`. The image features of
the real benchmarks are not distributed with the project; real-data results
are in the example that reads them.

The attributes are read from the project's ``shared/data/zsl`` folder. Where
that folder is absent, generated semantics of the same shapes replace them,
and the output says so. Hyperparameters are chosen on the validation
*classes* of each benchmark, never on its test classes, and every number is
labelled "synthetic features".
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Locating the real class semantics
# ---------------------------------
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sklearn_zsl import ClassSemantics
from sklearn_zsl.datasets import (
    load_xlsa17,
    make_zsl_classification,
    make_zsl_from_semantics,
)


def find_zsl_data():
    """The ``shared/data/zsl`` folder of the project, or None."""
    if os.environ.get("SKLEARN_ZSL_DATA"):
        candidates = [Path(os.environ["SKLEARN_ZSL_DATA"])]
    else:
        start = Path(globals().get("__file__", "plot_compare_estimators.py")).resolve()
        bases = [*start.parents, *Path.cwd().resolve().parents, Path.cwd()]
        candidates = [base / "shared" / "data" / "zsl" for base in bases]
    for candidate in candidates:
        if (candidate / "xlsa17").is_dir():
            return candidate
    return None


#: Shapes of the benchmarks: classes, unseen classes, attributes.
BENCHMARKS = {"AWA2": (50, 10, 85), "CUB": (200, 50, 312)}


def benchmark_semantics(name, data_dir):
    """Class semantics, unseen classes and validation class folds of a benchmark."""
    if data_dir is not None:
        split = load_xlsa17(data_dir / "xlsa17", name, features=None)
        source = f"real xlsa17 {name} attributes and split"
        return (
            split.class_semantics,
            split.unseen_classes,
            split.validation_class_folds,
            source,
        )
    n_classes, n_unseen, n_dims = BENCHMARKS[name]
    _, _, semantics, unseen = make_zsl_classification(
        n_classes=n_classes,
        n_unseen=n_unseen,
        n_samples_per_class=1,
        n_semantics=n_dims,
        n_latent=16,
        random_state=0,
    )
    semantics = ClassSemantics(semantics.labels, {"attributes": semantics.to_numpy()})
    source = f"GENERATED semantics shaped like {name} (xlsa17 files not found)"
    return semantics, unseen, None, source


data_dir = find_zsl_data()
if data_dir is None:
    print(
        "shared/data/zsl not found: using generated class semantics instead of "
        "the real AwA2 and CUB attributes (set SKLEARN_ZSL_DATA to its path)."
    )
else:
    print("reading real class semantics from the project's shared/data/zsl folder")

# %%
# Semi-synthetic data
# -------------------
#
# One synthetic feature vector per sample, 64 features, with 40 samples per
# class for AwA2 and 20 for CUB, split like xlsa17: the training part
# (``trainval``) holds 80% of each seen class, the test part the rest of the
# seen classes and every sample of the unseen classes.
datasets = {}
for name, n_per_class in [("AWA2", 40), ("CUB", 20)]:
    semantics, unseen, class_folds, source = benchmark_semantics(name, data_dir)
    datasets[name] = make_zsl_from_semantics(
        semantics,
        unseen_classes=unseen,
        n_samples_per_class=n_per_class,
        validation_class_folds=class_folds,
        random_state=0,
    )
    data = datasets[name]
    print(
        f"{name}: {source}; {data.class_semantics.n_classes} classes "
        f"({data.seen_classes.size} seen, {data.unseen_classes.size} unseen), "
        f"{data.data.shape[0]} samples of synthetic features"
    )

# %%
# The estimators and their grids
# ------------------------------
#
# Each model is tuned on the benchmark's validation folds, which hold out
# whole seen classes, for the zero-shot accuracy on them
# (:data:`~sklearn_zsl.metrics.zsl_scorer`). DEM stops early on a validation
# share of its training samples; only its distance is searched, to keep the
# example fast. Validation folds from
# :func:`~sklearn_zsl.datasets.make_zsl_from_semantics` index ``data``; the
# search receives the training part only, so the folds are re-indexed into it.
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_zsl.embedding import DEMClassifier
from sklearn_zsl.linear import ESZSLClassifier, SAEClassifier
from sklearn_zsl.metrics import (
    ausuc_score,
    gzsl_scores,
    per_class_accuracy_score,
    zsl_scorer,
)


def candidates():
    """Each estimator, as a pipeline, with its (small) grid."""
    return {
        "ESZSL": (
            make_pipeline(StandardScaler(), ESZSLClassifier()),
            {
                "eszslclassifier__alpha": [10.0, 100.0, 1000.0],
                "eszslclassifier__beta": [0.1, 1.0, 10.0],
            },
        ),
        "SAE": (
            make_pipeline(StandardScaler(), SAEClassifier()),
            {"saeclassifier__alpha": [0.001, 0.01, 0.1, 1.0]},
        ),
        "DEM": (
            make_pipeline(
                StandardScaler(),
                DEMClassifier(
                    hidden_layer_sizes=(128,),
                    alpha=1e-3,
                    max_epochs=200,
                    random_state=0,
                ),
            ),
            {"demclassifier__metric": ["euclidean", "cosine"]},
        ),
    }


def trainval_folds(data):
    """The validation folds as positions within ``data.trainval_indices``."""
    position = np.full(data.data.shape[0], -1)
    position[data.trainval_indices] = np.arange(data.trainval_indices.size)
    return [(position[fit], position[val]) for fit, val in data.validation_folds]


# %%
# Fit, select, evaluate
# ---------------------
#
# The xlsa17 validation folds are pure zero-shot folds (no held-out samples of
# the fold's seen classes), so the search selects on ZSL accuracy. The test
# evaluation then reports the full set of scores, once: ZSL accuracy among the
# unseen classes, the GZSL accuracies and their harmonic mean ``H``, and the
# area under the seen-unseen curve (AUSUC).
rows = []
for data_name, data in datasets.items():
    X_train = data.data[data.trainval_indices]
    y_train = data.target[data.trainval_indices]
    test = np.concatenate([data.test_seen_indices, data.test_unseen_indices])
    X_test, y_test = data.data[test], data.target[test]
    X_unseen, y_unseen = (
        data.data[data.test_unseen_indices],
        data.target[data.test_unseen_indices],
    )
    for model_name, (pipe, grid) in candidates().items():
        step = pipe.steps[-1][0]
        search = GridSearchCV(pipe, grid, cv=trainval_folds(data), scoring=zsl_scorer)
        search.fit(
            X_train, y_train, **{f"{step}__class_semantics": data.class_semantics}
        )
        model = search.best_estimator_
        clf = model[-1]
        y_zsl = model.predict(X_unseen, candidates=clf.unseen_classes_)
        scores = gzsl_scores(
            y_test, model.predict(X_test), seen_classes=clf.seen_classes_
        )
        rows.append(
            {
                "dataset": data_name,
                "model": model_name,
                "ZSL": per_class_accuracy_score(y_unseen, y_zsl),
                **scores,
                "AUSUC": ausuc_score(
                    y_test,
                    model.decision_function(X_test),
                    classes=clf.classes_,
                    seen_classes=clf.seen_classes_,
                ),
            }
        )

table = pd.DataFrame(rows).set_index(["dataset", "model"])
print("Test scores, per-class accuracy (synthetic features):")
print(table.round(3).to_string())

# %%
# The harmonic mean ``H`` is that of each model's own calibration
# (``seen_penalty="auto"``, chosen in ``fit`` on class-disjoint splits of the
# training data); AUSUC, the area under the whole seen-unseen curve, compares
# the models independently of that choice.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
for ax, (data_name, frame) in zip(axes, table.groupby(level="dataset"), strict=True):
    frame = frame.droplevel("dataset")[["ZSL", "H", "AUSUC"]]
    frame.plot.bar(ax=ax, rot=0, width=0.8)
    ax.set_title(f"{data_name}, semi-synthetic (synthetic features)", fontsize=10)
    ax.set_xlabel("")
    ax.set_ylim(0, 1)
axes[0].set_ylabel("score")
fig.tight_layout()
plt.show()

# %%
# Rankings on semi-synthetic data say how the models cope with the *real*
# structure of the class semantics (correlated attributes, many fine-grained
# classes for CUB), not how they would rank on real image features. For that,
# run the real-data example with the xlsa17 features, or the
# ``sklearn-zsl benchmark`` command.
