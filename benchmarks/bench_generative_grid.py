"""IZF against GFZSL, DEM and ESZSL over a grid of zero-shot tasks.

Every estimator runs with its *default* parameters on

- 20 semi-synthetic tasks: the real class semantics of AWA2, CUB, SUN and APY
  (xlsa17 ``att_splits.mat``; CUB and SUN on a random subset of 60 seen and 20
  unseen classes) with **synthetic features**
  (:func:`~sklearn_zsl.datasets.make_zsl_from_semantics`), feature dimensions
  below and above the semantic dimension, several seeds and latent sizes;
- real images: :func:`~sklearn_zsl.datasets.load_zsl_digits` (8x8 digit
  images, described by their seven-segment codes, the loader's default) with
  two sets of unseen digits.

Each task trains on the trainval part and tests on test-seen plus
test-unseen: generalised-ZSL S / U / H of ``predict``, ZSL top-1 among the
unseen classes, AUSUC and the fit time. The summary counts how often IZF's H
beats each other estimator's. ``GFZSL-mm`` is GFZSL given the class semantics
min-max scaled (``ClassSemantics.normalize("minmax")``), the scaling IZF
applies inside; the others get the semantics as they are. Run::

    OMP_NUM_THREADS=1 python benchmarks/bench_generative_grid.py -o grid.jsonl
    python benchmarks/bench_generative_grid.py --summary grid.jsonl

``--tasks`` runs a subset (names as printed by ``--list``), so that two
processes can share the grid; results are appended to the output file, one
JSON line per estimator and task, and pairs already in it are skipped (so an
interrupted run resumes). ``--seed`` sets the ``random_state`` of every
estimator (default 0; the tasks' data do not change): how much the counts
move with the initialisation and the calibration splits. Keep one output
file per seed.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import json
import os
import time

import numpy as np
import torch

from sklearn_zsl import (
    DEMClassifier,
    ESZSLClassifier,
    GFZSLClassifier,
    IZFClassifier,
)
from sklearn_zsl.datasets import load_xlsa17, load_zsl_digits, make_zsl_from_semantics
from sklearn_zsl.metrics import ausuc_score, gzsl_scores, per_class_accuracy_score

DEFAULT_ROOT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "zsl"
)

ESTIMATORS = {
    "IZF": lambda seed: IZFClassifier(random_state=seed),
    "GFZSL": lambda seed: GFZSLClassifier(random_state=seed),
    "GFZSL-mm": lambda seed: GFZSLClassifier(random_state=seed),
    "DEM": lambda seed: DEMClassifier(random_state=seed),
    "ESZSL": lambda seed: ESZSLClassifier(),
}
# Normalisation of the class semantics given to an estimator (default: none).
# GFZSL-mm is GFZSL on min-max scaled semantics, the scaling IZF applies
# inside: IZF's Gaussian head is that model where the flow's unseen
# prototypes sit on their ridge anchors (benchmarks/README.md).
SEMANTICS_NORMALIZE = {"GFZSL-mm": "minmax"}

# (dataset, n_features, seed, n_latent): features below and above each
# semantic dimension (AWA2 85, CUB 312, SUN 102, APY 64).
SEMI_SYNTHETIC = [
    ("AWA2", 64, 0, 16),
    ("AWA2", 64, 1, 8),
    ("AWA2", 256, 0, 16),
    ("AWA2", 256, 1, 8),
    ("AWA2", 128, 2, 32),
    ("CUB", 128, 0, 16),
    ("CUB", 128, 1, 8),
    ("CUB", 384, 0, 16),
    ("CUB", 384, 1, 8),
    ("CUB", 128, 2, 32),
    ("SUN", 64, 0, 16),
    ("SUN", 64, 1, 8),
    ("SUN", 192, 0, 16),
    ("SUN", 192, 1, 8),
    ("SUN", 128, 2, 32),
    ("APY", 32, 0, 16),
    ("APY", 32, 1, 8),
    ("APY", 128, 0, 16),
    ("APY", 128, 1, 8),
    ("APY", 96, 2, 32),
]
# Seen / unseen classes kept of the large datasets, and samples per class.
SUBSET = {"CUB": (60, 20), "SUN": (60, 20)}
SAMPLES_PER_CLASS = {"AWA2": 30, "APY": 30, "CUB": 20, "SUN": 20}
DIGITS_UNSEEN = [(2, 5, 9), (0, 3, 7)]


def task_names():
    names = [f"{d}-{f}-s{s}-l{n}" for d, f, s, n in SEMI_SYNTHETIC]
    return names + ["digits-" + "".join(map(str, u)) for u in DIGITS_UNSEEN]


def make_task(name, root):
    """The data set of one task, by name."""
    if name.startswith("digits-"):
        unseen = tuple(int(k) for k in name.split("-")[1])
        return load_zsl_digits(unseen_classes=unseen, random_state=0)
    dataset, n_features, seed, n_latent = name.split("-")
    seed = int(seed[1:])
    split = load_xlsa17(os.path.join(root, "xlsa17"), dataset, features=None)
    seen, unseen = split.seen_classes, split.unseen_classes
    if dataset in SUBSET:
        rng = np.random.RandomState(seed)
        seen = rng.choice(seen, SUBSET[dataset][0], replace=False)
        unseen = rng.choice(unseen, SUBSET[dataset][1], replace=False)
    semantics = split.class_semantics.select(np.concatenate([seen, unseen]))
    return make_zsl_from_semantics(
        semantics,
        unseen_classes=unseen,
        n_samples_per_class=SAMPLES_PER_CLASS[dataset],
        n_features=int(n_features),
        n_latent=int(n_latent[1:]),
        random_state=seed,
    )


def evaluate(estimator, data, normalize="none"):
    """Fit on trainval; GZSL S / U / H, ZSL top-1, AUSUC and fit time."""
    X, y = data.data, data.target
    semantics = data.class_semantics.normalize(normalize)
    train = data.trainval_indices
    test = np.concatenate([data.test_seen_indices, data.test_unseen_indices])
    unseen = data.test_unseen_indices
    start = time.perf_counter()
    estimator.fit(X[train], y[train], class_semantics=semantics)
    fit_s = time.perf_counter() - start
    seen_classes = estimator.seen_classes_
    scores = gzsl_scores(y[test], estimator.predict(X[test]), seen_classes=seen_classes)
    y_zsl = estimator.predict(X[unseen], candidates=estimator.unseen_classes_)
    ausuc = ausuc_score(
        y[test],
        estimator.decision_function(X[test]),
        classes=estimator.classes_,
        seen_classes=seen_classes,
    )
    return {
        "S": scores["acc_seen"],
        "U": scores["acc_unseen"],
        "H": scores["H"],
        "zsl": per_class_accuracy_score(y[unseen], y_zsl),
        "ausuc": ausuc,
        "fit_s": fit_s,
    }


def run(tasks, estimators, root, output, seed=0):
    done = set()
    if os.path.exists(output):
        with open(output) as file:
            done = {
                (r["task"], r["method"], r.get("seed", 0))
                for r in map(json.loads, file)
            }
    for name in tasks:
        todo = [m for m in estimators if (name, m, seed) not in done]
        if not todo:
            continue
        data = make_task(name, root)
        features = "synthetic" if data.synthetic_features else "real"
        for method in todo:
            row = evaluate(
                ESTIMATORS[method](seed),
                data,
                SEMANTICS_NORMALIZE.get(method, "none"),
            )
            record = {"task": name, "features": features, "method": method, **row}
            if seed:  # records without a seed are those of seed 0
                record["seed"] = seed
            print(
                f"{name:20} {method:6} S {row['S']:.3f} U {row['U']:.3f} "
                f"H {row['H']:.3f} ZSL {row['zsl']:.3f} AUSUC {row['ausuc']:.3f} "
                f"fit {row['fit_s']:6.1f}s ({features} features)",
                flush=True,
            )
            with open(output, "a") as file:
                file.write(json.dumps(record) + "\n")


def _cell(record):
    return f"{record['S']:.2f}/{record['U']:.2f}/{record['H']:.2f} z{record['zsl']:.2f}"


def summarize(path):
    """Print the table of H per task and how often IZF's H beats each method."""
    with open(path) as file:
        records = [json.loads(line) for line in file]
    table = {}
    for record in records:
        table.setdefault(record["task"], {})[record["method"]] = record
    methods = [m for m in ESTIMATORS if any(m in row for row in table.values())]
    print("GZSL H of predict with default parameters (S / U / H, ZSL top-1)")
    print("semi-synthetic tasks have synthetic features; digits are real images")
    print(f"{'task':20} " + " ".join(f"{m:>24}" for m in methods))
    for task, row in table.items():
        cells = [_cell(row[m]) if m in row else "-" for m in methods]
        print(f"{task:20} " + " ".join(f"{c:>24}" for c in cells))
    for other in methods:
        if other == "IZF":
            continue
        pairs = [
            (row["IZF"]["H"], row[other]["H"])
            for row in table.values()
            if "IZF" in row and other in row
        ]
        wins = sum(izf > h for izf, h in pairs)
        print(f"IZF H > {other} H on {wins} of {len(pairs)} tasks")
    for method in methods:
        values = [row[method] for row in table.values() if method in row]
        print(
            f"{method:6} mean H {np.mean([v['H'] for v in values]):.3f}, "
            f"mean ZSL {np.mean([v['zsl'] for v in values]):.3f}, "
            f"mean AUSUC {np.mean([v['ausuc'] for v in values]):.3f}, "
            f"mean fit {np.mean([v['fit_s'] for v in values]):.1f}s"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=DEFAULT_ROOT)
    parser.add_argument("--tasks", nargs="+", default=None)
    parser.add_argument("--estimators", nargs="+", default=list(ESTIMATORS))
    parser.add_argument("-o", "--output", default="generative_grid.jsonl")
    parser.add_argument("--summary", metavar="JSONL", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(task_names()))
        return
    if args.summary:
        summarize(args.summary)
        return
    torch.set_num_threads(1)
    run(args.tasks or task_names(), args.estimators, args.root, args.output, args.seed)
    summarize(args.output)


if __name__ == "__main__":
    main()
