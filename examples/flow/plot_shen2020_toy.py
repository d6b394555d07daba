"""
=====================================================
The toy experiment of IZF, with and without the MMD
=====================================================

Shen et al. (ECCV 2020) illustrate the negative-sample term of the Invertible
Zero-shot Flow on a 2-D toy problem: three seen classes with semantics
(0, 1), (0, 0) and (1, 0), one unseen class (1, 1), and samples
:math:`2c - 1 + \\mathcal N(0, (1/3)^2 I)`. The unseen class therefore belongs
in the empty corner (1, 1) of the feature space. The paper's claim: without
the negative MMD, features generated for the unseen class drift towards the
seen clusters; with it, they sit near (1, 1).

We fit :class:`~sklearn_zsl.flow.IZFClassifier` twice on the same data,
``mmd_weight=0`` and ``mmd_weight=0.03``, and generate samples of every class.
Everything plotted below is *synthetic features* of a toy problem.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# The toy data
# ------------
import matplotlib.pyplot as plt
import numpy as np

from sklearn_zsl.flow import IZFClassifier

SEMANTICS = {0: [0.0, 1.0], 1: [0.0, 0.0], 2: [1.0, 0.0], 3: [1.0, 1.0]}


def make_toy(n_per_class=200, random_state=0):
    rng = np.random.RandomState(random_state)
    y = np.repeat([0, 1, 2], n_per_class)
    centres = 2 * np.array([SEMANTICS[k] for k in y]) - 1
    return centres + rng.randn(y.size, 2) / 3, y


# The 2-D features are no wider than the semantics, so the flow pads them with
# two zero columns: the semantic factor and the noise get two dimensions each.
params = {
    "n_blocks": 3,
    "hidden_size": 64,
    "max_epochs": 150,
    "batch_size": 128,
    "semantic_weight": 1.0,
    "centralizing_weight": 10.0,
}


def fit_and_sample(mmd_weight, seed):
    X, y = make_toy(random_state=seed)
    clf = IZFClassifier(**params, mmd_weight=mmd_weight, random_state=seed)
    clf.fit(X, y, class_semantics=SEMANTICS)
    X_gen, y_gen = clf.sample([0, 1, 2, 3], 300, random_state=0)
    return X, y, X_gen, y_gen


# %%
# With and without the negative MMD, side by side
# -----------------------------------------------
colors = ["tab:blue", "tab:orange", "tab:green", "tab:red"]
fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), sharex=True, sharey=True)
for ax, mmd_weight in zip(axes, [0.0, 0.03], strict=True):
    X, y, X_gen, y_gen = fit_and_sample(mmd_weight, seed=0)
    for k in range(3):
        ax.scatter(*X[y == k].T, s=6, alpha=0.25, color=colors[k])
    for k in range(4):
        label = "unseen (1, 1), generated" if k == 3 else None
        ax.scatter(*X_gen[y_gen == k].T, s=6, marker="x", color=colors[k], label=label)
    mean = X_gen[y_gen == 3].mean(axis=0)
    ax.plot(*mean, "k*", markersize=15, label=f"mean {np.round(mean, 2)}")
    ax.plot(1, 1, "ks", fillstyle="none", markersize=12, label="target (1, 1)")
    ax.set_title(
        f"mmd_weight={mmd_weight}: distance to (1, 1) = {np.linalg.norm(mean - 1):.2f}"
    )
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)
    ax.legend(loc="lower left", fontsize=8)
fig.suptitle("IZF toy (synthetic features): dots real seen, crosses generated")
plt.tight_layout()
plt.show()

# %%
# Over three seeds
# ----------------
# We call the unseen class "near (1, 1)" when the mean of its generated samples
# is within 0.75 of it (the seen centres are 2 or more away).
for seed in range(3):
    distances = []
    for mmd_weight in [0.0, 0.03]:
        X_gen, y_gen = fit_and_sample(mmd_weight, seed)[2:]
        distances.append(np.linalg.norm(X_gen[y_gen == 3].mean(axis=0) - 1))
    print(
        f"seed {seed}: distance of the generated unseen mean to (1, 1): "
        f"{distances[0]:.2f} without, {distances[1]:.2f} with the MMD"
    )

# %%
# In our runs the negative MMD moves the unseen class towards its corner for
# every seed, and within 0.75 of it for seeds 0 and 2; for seed 1 both runs
# leave it near the origin. The effect is real but weaker than the paper's
# figure suggests, and larger weights are worse, not better: maximising the
# MMD has no optimum, and from ``mmd_weight`` of about 0.1 the generated
# features run away from *all* data (see the user guide, :ref:`izf`).
