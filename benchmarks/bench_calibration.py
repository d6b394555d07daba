"""Seen penalty chosen in ``fit`` against the best one on the test curve.

For every estimator and task of ``bench_generative_grid.py`` (20
semi-synthetic tasks, **synthetic features**, and two real-image digit
tasks), the estimator is fitted with ``seen_penalty=0`` on the trainval part;
on ``--splits`` class-disjoint splits of that part
(:class:`~sklearn_zsl.model_selection.GZSLShuffleSplit`, as
``seen_penalty="auto"`` uses) the best penalty of each split is found. On the
test part (test-seen plus test-unseen) the script reports H at penalty 0,
H at the penalties combined from the first 1, 3 and 5 splits (and 10 and 20
with ``--splits 20``; the median of the splits with a say, as ``"auto"``),
and the best H on the model's own test seen-unseen curve, plus the ZSL top-1
and its chance level. Run::

    OMP_NUM_THREADS=1 python benchmarks/bench_calibration.py -o calib.jsonl
    python benchmarks/bench_calibration.py --summary calib.jsonl
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
import torch
from sklearn.base import clone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_generative_grid import DEFAULT_ROOT, make_task, task_names  # noqa: E402

from sklearn_zsl import (  # noqa: E402
    DEMClassifier,
    ESZSLClassifier,
    GFZSLClassifier,
    IZFClassifier,
    SAEClassifier,
)
from sklearn_zsl.metrics import (  # noqa: E402
    gzsl_scores,
    per_class_accuracy_score,
    seen_unseen_curve,
)
from sklearn_zsl.model_selection import GZSLShuffleSplit  # noqa: E402
from sklearn_zsl.model_selection._calibration import (  # noqa: E402
    _combine_split_penalties,
    _penalty_on_split,
)

ESTIMATORS = {
    "ESZSL": lambda seed: ESZSLClassifier(),
    "SAE": lambda seed: SAEClassifier(),
    "GFZSL": lambda seed: GFZSLClassifier(random_state=seed),
    "DEM": lambda seed: DEMClassifier(random_state=seed),
    "IZF": lambda seed: IZFClassifier(random_state=seed),
}


def _h_at(model, X, y, penalty):
    model.set_params(seen_penalty=float(penalty))
    return gzsl_scores(y, model.predict(X), seen_classes=model.seen_classes_)["H"]


def evaluate(make, data, n_splits, seed=0):
    X, y, S = data.data, data.target, data.class_semantics
    train = data.trainval_indices
    test = np.concatenate([data.test_seen_indices, data.test_unseen_indices])
    unseen = data.test_unseen_indices
    tic = time.perf_counter()
    model = make(seed).set_params(seen_penalty=0.0)
    model.fit(X[train], y[train], class_semantics=S)
    fit_s = time.perf_counter() - tic
    cv = GZSLShuffleSplit(
        n_splits=n_splits, unseen_size=0.2, seen_test_size=0.2, random_state=seed
    )
    penalties = []
    tic = time.perf_counter()
    for tr, va in cv.split(X[train], y[train]):
        inner = clone(model).fit(X[train][tr], y[train][tr], class_semantics=S)
        penalties.append(
            _penalty_on_split(
                y[train][va],
                inner.decision_function(X[train][va]),
                classes=inner.classes_,
                seen_classes=inner.seen_classes_,
            )
        )
    calib_s = time.perf_counter() - tic
    scores = model.decision_function(X[test])
    _, acc_s, acc_u = seen_unseen_curve(
        y[test], scores, classes=model.classes_, seen_classes=model.seen_classes_
    )
    h_curve = 2 * acc_s * acc_u / np.maximum(acc_s + acc_u, 1e-12)
    row = {
        "H_best": float(h_curve.max()),
        "H_0": _h_at(model, X[test], y[test], 0.0),
        "penalties": penalties,
        "fit_s": fit_s,
        "calib_s_per_split": calib_s / n_splits,
    }
    for k in (1, 3, 5, 10, 20):
        if k <= n_splits:
            # the rule of seen_penalty="auto": median of the splits with a say
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                gamma = _combine_split_penalties(penalties[:k])
            row[f"H_med{k}"] = _h_at(model, X[test], y[test], gamma)
    y_zsl = model.predict(X[unseen], candidates=model.unseen_classes_)
    row["zsl"] = per_class_accuracy_score(y[unseen], y_zsl)
    row["zsl_chance"] = 1.0 / model.unseen_classes_.size
    return row


def summary(path):
    rows = [json.loads(line) for line in open(path)]
    keys = ["H_0", "H_med1", "H_med3", "H_med5", "H_med10", "H_med20"]
    for est in ESTIMATORS:
        mine = [r for r in rows if r["estimator"] == est]
        if not mine:
            continue
        best = np.array([r["H_best"] for r in mine])
        print(f"{est}: {len(mine)} tasks, mean best H {best.mean():.3f}")
        for key in keys:
            if key not in mine[0]:
                continue
            values = np.array([r[key] for r in mine])
            ratio = values / np.maximum(best, 1e-12)
            print(
                f"  {key:8s} mean H {values.mean():.3f}  ratio mean {ratio.mean():.3f}"
                f"  min {ratio.min():.3f}  >=0.8 on {np.sum(ratio >= 0.8)}/{len(mine)}"
            )
        for r in mine:
            if r["task"].startswith("digits"):
                print(
                    f"  {r['task']}: ZSL {r['zsl']:.3f} (chance {r['zsl_chance']:.3f})"
                    f" H_0 {r['H_0']:.3f} H_med3 {r.get('H_med3', np.nan):.3f}"
                    f" best {r['H_best']:.3f}"
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default="calibration.jsonl")
    parser.add_argument("--estimators", nargs="*", default=list(ESTIMATORS))
    parser.add_argument("--tasks", nargs="*", default=None)
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--root", default=DEFAULT_ROOT)
    parser.add_argument("--summary", metavar="JSONL")
    args = parser.parse_args()
    if args.summary:
        summary(args.summary)
        return
    torch.set_num_threads(1)
    done = set()
    if os.path.exists(args.output):
        done = {(r["estimator"], r["task"]) for r in map(json.loads, open(args.output))}
    for task in args.tasks or task_names():
        data = None
        for est in args.estimators:
            if (est, task) in done:
                continue
            data = data or make_task(task, args.root)
            row = {"estimator": est, "task": task}
            row.update(evaluate(ESTIMATORS[est], data, args.splits))
            print(json.dumps(row), flush=True)
            with open(args.output, "a") as f:
                f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
