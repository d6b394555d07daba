"""IZF with and without centred generation on tasks outside the grid.

``center_generated`` was measured on the grid of ``bench_generative_grid.py``
(class semantics of real data sets). This script checks it on a generator the
grid does not use: :func:`~sklearn_zsl.datasets.make_zsl_classification`
(**synthetic semantics and features**; 30 classes of which 10 unseen, 48
features, 24-d semantics), one task per seed. Both variants share the flow
(the same ``random_state``; centring does not change the training) and use
``seen_penalty=0`` so that only the generation differs. It prints ZSL top-1
among the unseen classes and AUSUC per seed, and their means. Run::

    OMP_NUM_THREADS=1 python benchmarks/bench_izf_centring.py --seeds 0 1 2 3
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import warnings

import numpy as np
import torch
from sklearn.model_selection import train_test_split

from sklearn_zsl import IZFClassifier
from sklearn_zsl.datasets import make_zsl_classification
from sklearn_zsl.metrics import ausuc_score, per_class_accuracy_score


def make_task(seed):
    """Seen-class training samples, a GZSL test set and the semantics."""
    X, y, semantics, unseen = make_zsl_classification(
        n_classes=30,
        n_unseen=10,
        n_samples_per_class=60,
        n_features=48,
        n_semantics=24,
        random_state=seed,
    )
    seen = ~np.isin(y, unseen)
    X_train, X_seen, y_train, y_seen = train_test_split(
        X[seen], y[seen], test_size=0.2, stratify=y[seen], random_state=seed
    )
    X_test = np.vstack([X_seen, X[~seen]])
    y_test = np.concatenate([y_seen, y[~seen]])
    return X_train, y_train, X_test, y_test, X[~seen], y[~seen], semantics


def evaluate(clf, X_test, y_test, X_unseen, y_unseen):
    """ZSL top-1 among the unseen classes and AUSUC on the GZSL test set."""
    unseen = clf.unseen_classes_
    columns = np.searchsorted(clf.classes_, unseen)
    scores = clf.decision_function(X_unseen)[:, columns]
    zsl = per_class_accuracy_score(y_unseen, unseen[scores.argmax(axis=1)])
    ausuc = ausuc_score(
        y_test,
        clf.decision_function(X_test),
        classes=clf.classes_,
        seen_classes=clf.seen_classes_,
    )
    return zsl, ausuc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", category=UserWarning)
    results = {False: [], True: []}
    print("synthetic semantics and features (make_zsl_classification)")
    print(f"{'seed':>4}  {'uncentred ZSL / AUSUC':>22}  {'centred ZSL / AUSUC':>20}")
    for seed in args.seeds:
        X_train, y_train, *test, semantics = make_task(seed)
        row = []
        for centred in (False, True):
            clf = IZFClassifier(
                center_generated=centred,
                classifier="softmax",
                seen_penalty=0.0,
                random_state=0,
            )
            clf.fit(X_train, y_train, class_semantics=semantics)
            zsl, ausuc = evaluate(clf, *test)
            results[centred].append((zsl, ausuc))
            row.append(f"{zsl:.3f} / {ausuc:.3f}")
        print(f"{seed:>4}  {row[0]:>22}  {row[1]:>20}", flush=True)
    before, after = np.array(results[False]), np.array(results[True])
    print(
        f"mean  {before[:, 0].mean():.3f} / {before[:, 1].mean():.3f}"
        f"{'':>8}{after[:, 0].mean():.3f} / {after[:, 1].mean():.3f}"
    )
    print(
        f"centring raised AUSUC on {int(np.sum(after[:, 1] > before[:, 1]))} "
        f"of {len(args.seeds)} seeds"
    )


if __name__ == "__main__":
    main()
