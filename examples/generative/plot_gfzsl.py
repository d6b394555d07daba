"""
==============================================
GFZSL: Gaussian class models from semantics
==============================================

:class:`~sklearn_zsl.generative.GFZSLClassifier` fits one Gaussian per seen
class and regresses the Gaussians of the unseen classes from their semantics.
We fit it on a semi-synthetic benchmark, the **real class attributes and
seen/unseen split of AwA2** with **synthetic features** drawn from them by
:func:`~sklearn_zsl.datasets.make_zsl_from_semantics`, score it, and compare the
features it generates with real ones, for held-out samples of seen classes and
for unseen classes, with :func:`~sklearn_zsl.metrics.generation_quality`.

The attributes are read from the project's ``shared/data/zsl`` folder; where
it is absent, generated semantics of the same shape replace them and the output
says so. Every number below is on synthetic features.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data: real AwA2 attributes, synthetic features
# ----------------------------------------------
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.decomposition import PCA

from sklearn_zsl.datasets import (
    load_xlsa17,
    make_zsl_classification,
    make_zsl_from_semantics,
)
from sklearn_zsl.generative import GFZSLClassifier
from sklearn_zsl.metrics import (
    generation_quality,
    gzsl_scores,
    per_class_accuracy_score,
)


def find_xlsa17():
    """The ``shared/data/zsl/xlsa17`` folder of the project, or None."""
    start = Path(globals().get("__file__", "plot_gfzsl.py")).resolve()
    if os.environ.get("SKLEARN_ZSL_DATA"):
        bases = [Path(os.environ["SKLEARN_ZSL_DATA"])]
    else:
        bases = [
            base / "shared" / "data" / "zsl"
            for base in [*start.parents, *Path.cwd().resolve().parents]
        ]
    return next((base / "xlsa17" for base in bases if (base / "xlsa17").is_dir()), None)


root = find_xlsa17()
if root is not None:
    split = load_xlsa17(root, "AWA2", features=None)
    semantics, unseen_classes = split.class_semantics, split.unseen_classes
    source = "real AwA2 attributes"
else:
    _, _, semantics, unseen_classes = make_zsl_classification(
        n_classes=50, n_unseen=10, n_semantics=85, random_state=0
    )
    source = "generated semantics (shared data not found)"
data = make_zsl_from_semantics(
    semantics,
    unseen_classes=unseen_classes,
    n_samples_per_class=60,
    n_features=64,
    random_state=0,
)
X, y = data.data, data.target
train, test_seen, test_unseen = (
    data.trainval_indices,
    data.test_seen_indices,
    data.test_unseen_indices,
)
print(f"{source}; {X.shape[1]} synthetic features")

# %%
# Fit and score
# -------------
# The default head is a softmax classifier trained on the real seen features
# and on features sampled for the unseen classes; ``classifier="bayes"``
# scores with the Gaussian likelihoods instead.
test = np.concatenate([test_seen, test_unseen])
for classifier in ["softmax", "bayes"]:
    clf = GFZSLClassifier(classifier=classifier, random_state=0)
    clf.fit(X[train], y[train], class_semantics=data.class_semantics)
    y_zsl = clf.predict(X[test_unseen], candidates=clf.unseen_classes_)
    zsl = per_class_accuracy_score(y[test_unseen], y_zsl)
    gzsl = gzsl_scores(y[test], clf.predict(X[test]), seen_classes=clf.seen_classes_)
    print(
        f"{classifier:>7}: ZSL top-1 {zsl:.3f}, GZSL S {gzsl['acc_seen']:.3f} "
        f"U {gzsl['acc_unseen']:.3f} H {gzsl['H']:.3f} (synthetic features)"
    )

# %%
# How good are the generated features?
# ------------------------------------
# Held-out samples of the seen classes check that the model fits what it was
# trained on; samples of the unseen classes check what it infers from their
# semantics. ``mean_distance`` is in units of the spread of the real class
# means and is compared with the distance that sampling noise alone gives with
# this few samples per class; ``spread_ratio`` compares the within-class
# spreads (1 is right) and the MMD is compared with that of a class-blind
# Gaussian.
qualities = {}
for name, rows in [("held-out seen", test_seen), ("unseen", test_unseen)]:
    quality = generation_quality(clf, X[rows], y[rows], random_state=0)
    qualities[name] = quality
    print(
        f"{name:>13} classes: relative mean distance "
        f"{quality.relative_mean_distance:.2f} (sampling noise alone: "
        f"{np.mean(quality.mean_distance_floor):.2f}), spread ratio "
        f"{np.mean(quality.spread_ratio):.2f}, MMD {quality.mmd:.4f} "
        f"(class-blind {quality.mmd_baseline:.4f})"
    )

# %%
# Generated against real features
# -------------------------------
# Three held-out seen classes and three unseen classes, real (left) and
# generated (right), in the first two principal components of the real
# features.
shown = {
    "held-out seen": np.unique(y[test_seen])[:3],
    "unseen": np.unique(y[test_unseen])[:3],
}
pca = PCA(n_components=2).fit(X)
fig, axes = plt.subplots(2, 2, figsize=(10, 9), sharex=True, sharey=True)
for row, (name, classes) in enumerate(shown.items()):
    rows = test_seen if name == "held-out seen" else test_unseen
    X_gen, y_gen = clf.sample(classes, 100, random_state=0)
    for ax, points, labels, kind in [
        (axes[row, 0], X[rows], y[rows], "real"),
        (axes[row, 1], X_gen, y_gen, "generated"),
    ]:
        ax.scatter(*pca.transform(X[train]).T, s=2, color="0.85")
        for label, color in zip(classes, plt.cm.tab10.colors, strict=False):
            keep = labels == label
            ax.scatter(*pca.transform(points[keep]).T, s=8, color=color, label=label)
        ax.set_title(f"{kind}, {name} classes")
    quality = qualities[name]
    axes[row, 1].text(
        0.02,
        0.02,
        f"mean distance {quality.relative_mean_distance:.2f} "
        f"(noise {np.mean(quality.mean_distance_floor):.2f})\n"
        f"spread ratio {np.mean(quality.spread_ratio):.2f}",
        transform=axes[row, 1].transAxes,
    )
    axes[row, 1].legend(fontsize=7, loc="upper right")
fig.suptitle("GFZSL on synthetic features (AwA2 semantics), PCA of the features")
plt.tight_layout()
plt.show()

# %%
# The generated seen classes are round clusters of the right size, and their
# means are as close to the held-out ones as sampling noise allows with about
# a dozen held-out samples per class. The unseen classes also have the right
# spread, but their regressed means are about one class-mean spread from the
# real ones, well above the noise: the ridge regression shrinks them towards
# the centre, most visibly for a class as unusual as the blue whale. This is
# where a better generative model has room to win.
