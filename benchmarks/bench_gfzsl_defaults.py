"""Choose GFZSL's defaults on semi-synthetic tasks (synthetic features).

Fits :class:`~sklearn_zsl.generative.GFZSLClassifier` over a grid of settings
on tasks built from the real class semantics and split of AWA2, CUB and aPY
(``make_zsl_from_semantics``, 50 samples per class, 64 and 256 features, two
data seeds) and prints, per setting, the mean test GZSL H (``seen_penalty=0``)
and ZSL top-1 over the tasks, then both per task. ``alpha`` is given as a
multiple of its ``"auto"`` value. Every number is on synthetic features. About
ten minutes on one CPU thread; the numbers are in ``doc/gfzsl.rst``.

    python benchmarks/bench_gfzsl_defaults.py [--root ../shared/data/zsl/xlsa17]
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import itertools
import os
import time

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from sklearn_zsl.datasets import load_xlsa17, make_zsl_from_semantics
from sklearn_zsl.generative import GFZSLClassifier
from sklearn_zsl.metrics import gzsl_scores, per_class_accuracy_score

#: ``alpha`` as multiples of its "auto" value.
ALPHAS = ["rel0.3", "rel1", "rel3"]
SOFTMAX_CS = [0.01, 0.1, 1.0]
ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "zsl")


def tasks(root, names, dims, seeds):
    for name in names:
        split = load_xlsa17(root, name, features=None)
        for n_features, seed in itertools.product(dims, seeds):
            data = make_zsl_from_semantics(
                split.class_semantics,
                unseen_classes=split.unseen_classes,
                n_samples_per_class=50,
                n_features=n_features,
                random_state=seed,
            )
            yield f"{name}-{n_features}-s{seed}", data


def evaluate(clf, data):
    X, y = data.data, data.target
    train = data.trainval_indices
    test = np.concatenate([data.test_seen_indices, data.test_unseen_indices])
    tic = time.perf_counter()
    clf.fit(X[train], y[train], class_semantics=data.class_semantics)
    fit_time = time.perf_counter() - tic
    unseen = data.test_unseen_indices
    y_zsl = clf.predict(X[unseen], candidates=clf.unseen_classes_)
    scores = gzsl_scores(y[test], clf.predict(X[test]), seen_classes=clf.seen_classes_)
    return {
        "zsl": per_class_accuracy_score(y[unseen], y_zsl),
        **scores,
        "fit_s": fit_time,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.join(ROOT, "xlsa17"))
    parser.add_argument("--names", default="AWA2,CUB,APY")
    args = parser.parse_args()
    bayes = {"classifier": "bayes", "softmax_C": np.nan, "n_synthetic_per_class": 0}
    softmax = {"classifier": "softmax", "covariance": "pooled", "alpha": "rel1"}
    settings = [
        {**bayes, "covariance": cov, "alpha": a}
        for cov, a in itertools.product(["pooled", "diag"], ALPHAS)
    ]
    settings += [
        {**softmax, "alpha": a, "softmax_C": c, "n_synthetic_per_class": 100}
        for a, c in itertools.product(ALPHAS, SOFTMAX_CS)
    ]
    settings += [
        {**softmax, "softmax_C": c, "n_synthetic_per_class": 100}
        for c in [0.001, 0.003]
    ]
    settings += [
        {**softmax, "softmax_C": 0.01, "n_synthetic_per_class": n} for n in [30, 300]
    ]
    rows = []
    for task, data in tasks(args.root, args.names.split(","), [64, 256], [0, 1]):
        train = data.trainval_indices
        probe = GFZSLClassifier(classifier="bayes").fit(
            data.data[train], data.target[train], class_semantics=data.class_semantics
        )
        for setting in settings:
            params = dict(setting)
            scale = float(params.pop("alpha")[3:])
            if np.isnan(params["softmax_C"]):
                params.pop("softmax_C")
                params.pop("n_synthetic_per_class")
            clf = GFZSLClassifier(alpha=scale * probe.alpha_, random_state=0, **params)
            rows.append({"task": task, **setting, **evaluate(clf, data)})
        print(f"done {task}", flush=True)
    table = pd.DataFrame(rows)
    table["softmax_C"] = table["softmax_C"].map(lambda c: "-" if np.isnan(c) else c)
    keys = ["classifier", "covariance", "alpha", "softmax_C", "n_synthetic_per_class"]
    summary = table.groupby(keys)[["H", "zsl", "acc_seen", "acc_unseen", "fit_s"]]
    print("Mean over tasks (synthetic features):")
    print(summary.mean().round(3).sort_values("H", ascending=False).to_string())
    pd.set_option("display.width", 250)
    for score in ["H", "zsl"]:
        print(f"\n{score} per task (synthetic features):")
        pivot = table.pivot_table(index="task", columns=keys, values=score)
        print(pivot.round(3).T.to_string())


if __name__ == "__main__":
    with threadpool_limits(1):
        main()
