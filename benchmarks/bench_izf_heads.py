"""IZF's softmax and Gaussian heads, and the "auto" choice, outside the grid.

``classifier="auto"`` (the default) picks IZF's head on the calibration split;
the Gaussian head won most of the grid of ``bench_generative_grid.py``, whose
semi-synthetic features are near-Gaussian around each class. This script
checks the heads and the choice on tasks the grid does not have, from
:func:`~sklearn_zsl.datasets.make_zsl_classification` (**synthetic semantics
and features**; 30 classes of which 10 unseen, 48 features, 24-d semantics):

- ``plain``: the generator's features;
- ``relu``: the same features through ``max(x, 0)``, non-negative, half zero
  and far from Gaussian, like the ReLU features of a CNN.

For each task it fits ``IZFClassifier(random_state=0)`` with its defaults,
then the head it did not choose alone (same flow: same ``random_state``),
``GFZSLClassifier()``, and GFZSL on min-max scaled semantics (``GFZSL-mm``:
the scaling IZF applies inside, so that the two Gaussian classifiers differ
only in where they put the unseen classes); it prints ZSL top-1 among the
unseen classes and AUSUC of both heads and both GFZSLs, the head chosen, and
H of the default IZF and of both GFZSLs. Run::

    OMP_NUM_THREADS=1 python benchmarks/bench_izf_heads.py --seeds 0 1 2 3
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import warnings

import numpy as np
import torch
from bench_izf_centring import evaluate, make_task

from sklearn_zsl import GFZSLClassifier, IZFClassifier
from sklearn_zsl.metrics import harmonic_mean_score
from sklearn_zsl.semantics import check_class_semantics


def relu_task(task):
    """The same task with every feature through max(x, 0)."""
    X_train, y_train, X_test, y_test, X_unseen, y_unseen, semantics = task
    relu = lambda X: np.maximum(X, 0.0)  # noqa: E731
    return (
        relu(X_train),
        y_train,
        relu(X_test),
        y_test,
        relu(X_unseen),
        y_unseen,
        semantics,
    )


def run_task(task):
    """Both heads, the default's choice and GFZSL on one task."""
    X_train, y_train, X_test, y_test, X_unseen, y_unseen, semantics = task
    test = (X_test, y_test, X_unseen, y_unseen)
    row = {}
    default = IZFClassifier(random_state=0)
    default.fit(X_train, y_train, class_semantics=semantics)
    chosen = default.classifier_
    other = "gaussian" if chosen == "softmax" else "softmax"
    alone = IZFClassifier(classifier=other, seen_penalty=0.0, random_state=0)
    alone.fit(X_train, y_train, class_semantics=semantics)
    row[chosen] = evaluate(default, *test)
    row[other] = evaluate(alone, *test)
    gfzsl = GFZSLClassifier().fit(X_train, y_train, class_semantics=semantics)
    row["GFZSL"] = evaluate(gfzsl, *test)
    scaled = check_class_semantics(semantics).normalize("minmax")
    gfzsl_mm = GFZSLClassifier().fit(X_train, y_train, class_semantics=scaled)
    row["GFZSL-mm"] = evaluate(gfzsl_mm, *test)
    seen = default.seen_classes_
    row["H"] = tuple(
        harmonic_mean_score(y_test, clf.predict(X_test), seen_classes=seen)
        for clf in (default, gfzsl, gfzsl_mm)
    )
    row["chosen"] = chosen
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", category=UserWarning)
    print("synthetic semantics and features (make_zsl_classification)")
    print(
        f"{'task':>8}  {'softmax ZSL/AUSUC':>17}  {'gaussian ZSL/AUSUC':>18}  "
        f"{'GFZSL ZSL/AUSUC':>15}  {'GFZSL-mm ZSL/AUSUC':>18}  {'chosen':>8}  "
        f"{'H IZF / GFZSL / GFZSL-mm':>24}"
    )
    rows = []
    for seed in args.seeds:
        plain = make_task(seed)
        for kind, task in (("plain", plain), ("relu", relu_task(plain))):
            row = run_task(task)
            rows.append(row)
            cells = [
                f"{row[k][0]:.3f} / {row[k][1]:.3f}"
                for k in ("softmax", "gaussian", "GFZSL", "GFZSL-mm")
            ]
            print(
                f"{kind + '-' + str(seed):>8}  {cells[0]:>17}  {cells[1]:>18}  "
                f"{cells[2]:>15}  {cells[3]:>18}  {row['chosen']:>8}  "
                + " / ".join(f"{h:.3f}" for h in row["H"]),
                flush=True,
            )
    better = sum(row["gaussian"][1] > row["softmax"][1] for row in rows)
    right = sum(
        row[row["chosen"]][1] >= max(row["softmax"][1], row["gaussian"][1])
        for row in rows
    )
    wins = [sum(row["H"][0] > row["H"][k] for row in rows) for k in (1, 2)]
    print(
        f"Gaussian head ranks better (AUSUC) on {better} of {len(rows)} tasks; "
        f"'auto' chose the better head on {right}; the default IZF's H beats "
        f"GFZSL's on {wins[0]} and GFZSL-mm's on {wins[1]}."
    )


if __name__ == "__main__":
    main()
