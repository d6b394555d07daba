"""
======================================================
Calibrated stacking, the seen-unseen curve and AUSUC
======================================================

In generalised zero-shot learning (GZSL) a model chooses among seen and
unseen classes, and it favours the seen ones: it was trained to score them.
*Calibrated stacking* (Chao et al., 2016) subtracts a constant ``gamma`` from
the seen-class scores before the argmax. Sweeping ``gamma`` traces the
**seen-unseen accuracy curve**; the area under it, **AUSUC**, scores a model
independently of ``gamma``.

In sklearn-zsl ``gamma`` is the ``seen_penalty`` parameter of every
classifier. By default (``seen_penalty="auto"``) ``fit`` chooses it on
class-disjoint splits of the training data; this example takes the mechanism
apart: the bias without a penalty, the choice on validation data with
:func:`~sklearn_zsl.metrics.best_seen_penalty`, and where the automatic choice
lands on the seen-unseen curve.
The data are generated, so every number is computed on **synthetic
features**.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data and models
# ---------------
#
# The test set has held-out samples of the seen classes and all samples of
# the unseen classes.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_zsl.datasets import make_zsl_classification
from sklearn_zsl.linear import ESZSLClassifier, SAEClassifier

X, y, class_semantics, unseen_classes = make_zsl_classification(
    n_classes=40, n_unseen=10, noise=0.5, class_variation=1.0, random_state=3
)
is_unseen = np.isin(y, unseen_classes)
X_train, X_test_seen, y_train, y_test_seen = train_test_split(
    X[~is_unseen],
    y[~is_unseen],
    test_size=0.2,
    stratify=y[~is_unseen],
    random_state=0,
)
X_test = np.vstack([X_test_seen, X[is_unseen]])
y_test = np.concatenate([y_test_seen, y[is_unseen]])

# seen_penalty=0.0: no calibration, to show what it corrects
models = {
    "ESZSL": make_pipeline(
        StandardScaler(), ESZSLClassifier(alpha=100.0, beta=1.0, seen_penalty=0.0)
    ),
    "SAE": make_pipeline(StandardScaler(), SAEClassifier(alpha=0.01, seen_penalty=0.0)),
}

# %%
# The bias towards seen classes
# -----------------------------
#
# Without calibration (``seen_penalty=0``), most unseen-class samples are
# predicted as a seen class: the models predict far fewer unseen labels than
# there are unseen-class samples, and ``acc_unseen`` lags ``acc_seen``.
from sklearn_zsl.metrics import gzsl_scores

for name, model in models.items():
    step = model.steps[-1][0]
    model.fit(X_train, y_train, **{f"{step}__class_semantics": class_semantics})
    y_pred = model.predict(X_test)
    predicted_unseen = np.isin(y_pred, unseen_classes).mean()
    true_unseen = np.isin(y_test, unseen_classes).mean()
    scores = gzsl_scores(y_test, y_pred, seen_classes=model[-1].seen_classes_)
    print(
        f"{name:5s} (synthetic features): {predicted_unseen:.0%} of test samples "
        f"predicted unseen (true share {true_unseen:.0%}); "
        + ", ".join(f"{key} {value:.3f}" for key, value in scores.items())
    )

# %%
# Choosing the penalty on validation data
# ---------------------------------------
#
# The penalty is a hyperparameter: it must be chosen without the test set.
# One split of :class:`~sklearn_zsl.model_selection.GZSLShuffleSplit` on the
# *training* data gives validation samples of held-out classes and of seen
# classes; a model fitted on the rest of the training data scores them once,
# and :func:`~sklearn_zsl.metrics.best_seen_penalty` finds the penalty with
# the best harmonic mean on them, exactly, from those scores alone.
from sklearn.base import clone

from sklearn_zsl.metrics import best_seen_penalty
from sklearn_zsl.model_selection import GZSLShuffleSplit

validation = GZSLShuffleSplit(n_splits=1, unseen_size=0.25, random_state=0)
fit_idx, val_idx = next(validation.split(X_train, y_train))

penalties = {}
for name, model in models.items():
    step = model.steps[-1][0]
    val_model = clone(model).fit(
        X_train[fit_idx],
        y_train[fit_idx],
        **{f"{step}__class_semantics": class_semantics},
    )
    val_scores = val_model.decision_function(X_train[val_idx])
    penalties[name] = best_seen_penalty(
        y_train[val_idx],
        val_scores,
        classes=val_model[-1].classes_,
        seen_classes=val_model[-1].seen_classes_,
    )
    print(f"{name:5s}: seen_penalty chosen on validation data = {penalties[name]:.4f}")

# %%
# The chosen penalty is then set on the model fitted on all training data, with
# ``set_params``: no refit.
calibrated = {}
for name, model in models.items():
    step = model.steps[-1][0]
    model.set_params(**{f"{step}__seen_penalty": penalties[name]})
    calibrated[name] = gzsl_scores(
        y_test, model.predict(X_test), seen_classes=model[-1].seen_classes_
    )
    model.set_params(**{f"{step}__seen_penalty": 0.0})
    print(
        f"{name:5s} calibrated (synthetic features): "
        + ", ".join(f"{key} {value:.3f}" for key, value in calibrated[name].items())
    )

# %%
# The same in one line: ``seen_penalty="auto"``
# ---------------------------------------------
#
# The default does all of the above inside ``fit``, on 5 class-disjoint
# splits of the training data (median of their penalties), and then fits the
# model on all of it. The chosen penalty is ``seen_penalty_``.
automatic = {}
for name, model in models.items():
    step = model.steps[-1][0]
    auto_model = clone(model).set_params(**{f"{step}__seen_penalty": "auto"})
    auto_model.fit(X_train, y_train, **{f"{step}__class_semantics": class_semantics})
    automatic[name] = gzsl_scores(
        y_test, auto_model.predict(X_test), seen_classes=auto_model[-1].seen_classes_
    )
    print(
        f"{name:5s} seen_penalty='auto' chose {auto_model[-1].seen_penalty_:.4f} "
        "(synthetic features): "
        + ", ".join(f"{key} {value:.3f}" for key, value in automatic[name].items())
    )

# %%
# The seen-unseen curve and AUSUC
# -------------------------------
#
# :func:`~sklearn_zsl.metrics.seen_unseen_curve` computes the whole curve on
# the test scores, at every penalty where a prediction changes, and
# :func:`~sklearn_zsl.metrics.ausuc_score` its area. The dots mark the
# uncalibrated model (``gamma = 0``), the stars the penalty chosen on one
# validation split and the diamonds ``seen_penalty="auto"``; the dotted lines
# are level sets of ``H``.
from sklearn_zsl.metrics import ausuc_score, seen_unseen_curve

fig, ax = plt.subplots(figsize=(6, 5.5))
grid = np.linspace(0.01, 1, 200)
for level in (0.2, 0.4, 0.6, 0.8):
    # acc_seen as a function of acc_unseen at constant H
    with np.errstate(divide="ignore", invalid="ignore"):
        seen_level = level * grid / (2 * grid - level)
    valid = (seen_level > 0) & (seen_level <= 1)
    ax.plot(grid[valid], seen_level[valid], color="lightgrey", linestyle=":")
    ax.annotate(
        f"H={level}", (grid[valid][-1], seen_level[valid][-1]), fontsize=7, color="grey"
    )

for color, (name, model) in zip(["C0", "C1"], models.items(), strict=True):
    clf = model[-1]
    test_scores = model.decision_function(X_test)
    gammas, acc_seen, acc_unseen = seen_unseen_curve(
        y_test, test_scores, classes=clf.classes_, seen_classes=clf.seen_classes_
    )
    area = ausuc_score(
        y_test, test_scores, classes=clf.classes_, seen_classes=clf.seen_classes_
    )
    print(f"{name:5s} AUSUC (synthetic features): {area:.3f}")
    ax.plot(acc_unseen, acc_seen, color=color, label=f"{name}, AUSUC = {area:.3f}")
    at_zero = np.searchsorted(gammas, 0.0, side="right") - 1
    ax.plot(acc_unseen[at_zero], acc_seen[at_zero], "o", color=color)
    ax.plot(
        calibrated[name]["acc_unseen"],
        calibrated[name]["acc_seen"],
        "*",
        color=color,
        markersize=14,
        markeredgecolor="black",
    )
    ax.plot(
        automatic[name]["acc_unseen"],
        automatic[name]["acc_seen"],
        "D",
        color=color,
        markersize=8,
        markeredgecolor="black",
    )

ax.set_xlabel("accuracy on unseen classes")
ax.set_ylabel("accuracy on seen classes")
ax.set_xlim(0, 1)
ax.set_ylim(0, 1)
ax.set_title("Seen-unseen accuracy curve (synthetic features)")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()

# %%
# Moving along the curve trades seen-class accuracy for unseen-class
# accuracy. The uncalibrated point sits near the top-left end, where the
# model rarely predicts an unseen class; the penalties chosen on validation
# data, by hand or by ``"auto"``, move it towards the balance point of ``H``.
# AUSUC compares the two models over the whole range of penalties, whatever
# penalty each would be used with.
