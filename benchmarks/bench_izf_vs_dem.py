"""IZF against DEM on semi-synthetic zero-shot data with real class semantics.

Shen et al. (ECCV 2020) report that IZF's generalised zero-shot harmonic mean
H is above that of earlier models such as DEM. This benchmark measures the
claim with the *default* settings of both estimators on data whose class
semantics are the real xlsa17 attributes and whose features are **synthetic**
(:func:`~sklearn_zsl.datasets.make_zsl_from_xlsa17`), on the proposed split:
train on ``trainval``, score ``test_seen`` and ``test_unseen``. ESZSL is
listed as a closed-form reference.

Run::

    OMP_NUM_THREADS=2 python benchmarks/bench_izf_vs_dem.py --datasets AWA2 CUB

It needs ``att_splits.mat`` of each dataset under ``--root`` (default:
``../shared/data/zsl/xlsa17`` next to the repository). Every figure printed is
measured on synthetic features, in this run.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import json
import os
import time

import numpy as np

from sklearn_zsl.datasets import make_zsl_from_xlsa17
from sklearn_zsl.embedding import DEMClassifier
from sklearn_zsl.flow import IZFClassifier
from sklearn_zsl.linear import ESZSLClassifier
from sklearn_zsl.metrics import gzsl_scores

DEFAULT_ROOT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "shared",
    "data",
    "zsl",
    "xlsa17",
)


def make_estimators(random_state, izf_params):
    """The compared estimators, each with its default settings."""
    return {
        "ESZSL": ESZSLClassifier(),
        "DEM": DEMClassifier(random_state=random_state),
        "IZF-bayes": IZFClassifier(
            classifier="bayes", random_state=random_state, **izf_params
        ),
        "IZF-softmax": IZFClassifier(
            classifier="softmax", random_state=random_state, **izf_params
        ),
    }


def evaluate(estimator, data):
    """Fit on trainval; return GZSL scores, ZSL accuracy and fit time."""
    X, y = data.data, data.target
    train, test_seen, test_unseen = (
        data.trainval_indices,
        data.test_seen_indices,
        data.test_unseen_indices,
    )
    start = time.perf_counter()
    estimator.fit(X[train], y[train], class_semantics=data.class_semantics)
    fit_time = time.perf_counter() - start
    test = np.concatenate([test_seen, test_unseen])
    scores = gzsl_scores(
        y[test], estimator.predict(X[test]), seen_classes=estimator.seen_classes_
    )
    y_zsl = estimator.predict(X[test_unseen], candidates=estimator.unseen_classes_)
    zsl = np.mean(
        [np.mean(y_zsl[y[test_unseen] == k] == k) for k in np.unique(y[test_unseen])]
    )
    return {**scores, "zsl": float(zsl), "fit_s": fit_time}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=DEFAULT_ROOT)
    parser.add_argument("--datasets", nargs="+", default=["AWA2", "CUB"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--methods", nargs="+", default=None)
    parser.add_argument(
        "--izf-params", default="{}", help="JSON dict of IZF parameter overrides"
    )
    args = parser.parse_args(argv)
    izf_params = json.loads(args.izf_params)
    print("Semi-synthetic data: real xlsa17 class semantics, synthetic features.")
    print(
        f"{'data':6} {'seed':>4} {'method':12} {'S':>6} {'U':>6} {'H':>6} "
        f"{'ZSL':>6} {'fit s':>7}"
    )
    results = []
    for name in args.datasets:
        for seed in args.seeds:
            data = make_zsl_from_xlsa17(args.root, name, random_state=seed)
            for method, estimator in make_estimators(seed, izf_params).items():
                if args.methods and method not in args.methods:
                    continue
                row = evaluate(estimator, data)
                results.append({"data": name, "seed": seed, "method": method, **row})
                print(
                    f"{name:6} {seed:>4} {method:12} {row['acc_seen']:6.3f} "
                    f"{row['acc_unseen']:6.3f} {row['H']:6.3f} {row['zsl']:6.3f} "
                    f"{row['fit_s']:7.1f}",
                    flush=True,
                )
    return results


if __name__ == "__main__":
    main()
