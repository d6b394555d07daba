"""
=====================================================
Hyperparameter search with class-disjoint validation
=====================================================

A zero-shot model must be tuned for classes it has not seen. This example
searches the two regularisation parameters of ESZSL with
:class:`~sklearn.model_selection.GridSearchCV` twice:

- for conventional zero-shot learning (ZSL), with
  :class:`~sklearn_zsl.model_selection.ZSLKFold`, whose folds hold out whole
  classes, and :data:`~sklearn_zsl.metrics.zsl_scorer`;
- for generalised zero-shot learning (GZSL), with
  :class:`~sklearn_zsl.model_selection.GZSLShuffleSplit`, whose test folds
  also hold seen-class samples, :data:`~sklearn_zsl.metrics.gzsl_scorer` and
  ``refit="H"``.

The test classes take no part in either search. The data are generated, so
every number is computed on **synthetic features**.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data: the test classes are set aside first
# -------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from sklearn_zsl.datasets import make_zsl_classification

X, y, class_semantics, test_classes = make_zsl_classification(
    n_classes=40, n_unseen=10, random_state=1
)
is_test_class = np.isin(y, test_classes)
X_train, X_test_seen, y_train, y_test_seen = train_test_split(
    X[~is_test_class],
    y[~is_test_class],
    test_size=0.2,
    stratify=y[~is_test_class],
    random_state=0,
)
X_test_unseen, y_test_unseen = X[is_test_class], y[is_test_class]
print(f"search data: {y_train.size} samples of {np.unique(y_train).size} classes")
print(
    f"final test: {y_test_seen.size} seen-class samples, "
    f"{y_test_unseen.size} samples of {test_classes.size} unseen classes"
)

# %%
# Why not ``cv=5``?
# -----------------
#
# The default cross-validation of a classifier is stratified: every class is
# in every training fold, so it measures *supervised* accuracy. A
# class-disjoint splitter holds out whole classes instead. Here are the classes
# each of the 4 folds of :class:`~sklearn_zsl.model_selection.ZSLKFold` holds
# out:
from sklearn_zsl.model_selection import GZSLShuffleSplit, ZSLKFold

zsl_cv = ZSLKFold(n_splits=4, shuffle=True, random_state=0)
for fold, (fit_idx, val_idx) in enumerate(zsl_cv.split(X_train, y_train)):
    held_out = np.unique(y_train[val_idx])
    assert not np.isin(held_out, y_train[fit_idx]).any()
    print(f"fold {fold}: validation classes {held_out}")

# %%
# ZSL search
# ----------
#
# ``zsl_scorer`` predicts each validation sample among the fold's held-out
# classes and returns the per-class accuracy. The semantics of every class
# are passed to ``fit``; the scorer reads the fold's seen classes from the
# fitted estimator.
from sklearn.model_selection import GridSearchCV

from sklearn_zsl.linear import ESZSLClassifier
from sklearn_zsl.metrics import gzsl_scorer, zsl_scorer

grid = {"alpha": np.logspace(-1, 5, 7), "beta": np.logspace(-2, 3, 6)}
zsl_search = GridSearchCV(ESZSLClassifier(), grid, cv=zsl_cv, scoring=zsl_scorer)
zsl_search.fit(X_train, y_train, class_semantics=class_semantics)
print("best ZSL parameters:", {k: float(v) for k, v in zsl_search.best_params_.items()})
print(
    f"best validation ZSL accuracy (synthetic features): {zsl_search.best_score_:.3f}"
)

# %%
# Both parameters matter: ``beta`` must be neither too small nor too large,
# whatever ``alpha`` is, and the best region pairs a moderate ``beta`` with a
# large ``alpha``. The grid must extend past the optimum on every side; a best
# value on the edge of the grid means the grid is too small.
scores = zsl_search.cv_results_["mean_test_score"].reshape(7, 6)
fig, ax = plt.subplots(figsize=(5.5, 4.5))
image = ax.imshow(scores, origin="lower", cmap="viridis")
ax.set_xticks(range(6), [f"{b:g}" for b in grid["beta"]])
ax.set_yticks(range(7), [f"{a:g}" for a in grid["alpha"]])
ax.set_xlabel("beta (semantic side)")
ax.set_ylabel("alpha (feature side)")
ax.set_title("ZSLKFold validation accuracy\n(synthetic features)")
fig.colorbar(image, ax=ax, label="per-class accuracy")
fig.tight_layout()

# %%
# GZSL search with ``refit="H"``
# ------------------------------
#
# ``gzsl_scorer`` returns three numbers per fold: ``acc_seen``, ``acc_unseen``
# and their harmonic mean ``H``. ``refit="H"`` selects on ``H``, and
# ``cv_results_`` keeps all three.
gzsl_cv = GZSLShuffleSplit(
    n_splits=4, unseen_size=0.25, seen_test_size=0.2, random_state=0
)
gzsl_search = GridSearchCV(
    ESZSLClassifier(), grid, cv=gzsl_cv, scoring=gzsl_scorer, refit="H"
)
gzsl_search.fit(X_train, y_train, class_semantics=class_semantics)
print(
    "best GZSL parameters:", {k: float(v) for k, v in gzsl_search.best_params_.items()}
)
print(f"best validation H (synthetic features): {gzsl_search.best_score_:.3f}")

# %%
# Along ``alpha`` (at the best ``beta``), stronger regularisation helps the
# unseen classes up to a point, while the seen-class accuracy falls: ``H``
# balances the two.
results = gzsl_search.cv_results_
best_beta = gzsl_search.best_params_["beta"]
mask = np.asarray(results["param_beta"], dtype=float) == best_beta
alphas = np.asarray(results["param_alpha"], dtype=float)[mask]
fig, ax = plt.subplots(figsize=(6, 4))
for key in ("acc_seen", "acc_unseen", "H"):
    ax.plot(alphas, results[f"mean_test_{key}"][mask], marker="o", label=key)
ax.set_xscale("log")
ax.set_xlabel("alpha")
ax.set_ylabel("per-class accuracy")
ax.set_title(f"GZSLShuffleSplit validation, beta={best_beta:g}\n(synthetic features)")
ax.legend()
fig.tight_layout()

# %%
# Final evaluation, once
# ----------------------
#
# Both searches refitted their best model on all the search data. Only now are
# the test classes used, once.
from sklearn_zsl.metrics import gzsl_scores, per_class_accuracy_score

zsl_model = zsl_search.best_estimator_
y_pred = zsl_model.predict(X_test_unseen, candidates=zsl_model.unseen_classes_)
print(
    f"test ZSL accuracy (synthetic features): "
    f"{per_class_accuracy_score(y_test_unseen, y_pred):.3f}"
)

gzsl_model = gzsl_search.best_estimator_
X_test = np.vstack([X_test_seen, X_test_unseen])
y_test = np.concatenate([y_test_seen, y_test_unseen])
test_scores = gzsl_scores(
    y_test, gzsl_model.predict(X_test), seen_classes=gzsl_model.seen_classes_
)
print(
    "test GZSL scores (synthetic features):",
    {key: round(value, 3) for key, value in test_scores.items()},
)
plt.show()
