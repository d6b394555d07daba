"""The toy experiment of Shen et al. (ECCV 2020), reproduced with IZFClassifier.

Seen classes have semantics (0, 1), (0, 0) and (1, 0), the unseen class
(1, 1); samples of class c are 2c - 1 + N(0, (1/3)^2 I) in 2-D, so the unseen
class belongs at (1, 1) in feature space. The paper's claim: the generated
unseen samples sit near (1, 1). With the default objective (issue 11: noise
padding, ancestral sampling, the bounded negative term at weight 1) they do
for every seed, and the generated seen classes are the round clusters they
were trained on.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest

from sklearn_zsl.flow import IZFClassifier

SEMANTICS = {0: [0.0, 1.0], 1: [0.0, 0.0], 2: [1.0, 0.0], 3: [1.0, 1.0]}
SEEN_CENTRES = np.array([[-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])
# The toy's flow: 3 blocks of width 64 (the 2-D data are padded to 4-D); the
# terms of the objective keep their defaults.
TOY_PARAMS = {"n_blocks": 3, "hidden_size": 64, "max_epochs": 150, "batch_size": 128}
# Generated unseen samples count as "at (1, 1)" when their mean is closer than
# this (the seen centres are at distance 2 or more).
NEAR = 0.5


def make_toy(n_per_class=200, random_state=0):
    """Samples of the three seen classes of the toy problem."""
    rng = np.random.RandomState(random_state)
    y = np.repeat([0, 1, 2], n_per_class)
    centres = 2 * np.array([SEMANTICS[k] for k in y]) - 1
    return centres + rng.randn(y.size, 2) / 3, y


def generated_unseen(mmd_weight, seed):
    X, y = make_toy(random_state=seed)
    clf = IZFClassifier(**TOY_PARAMS, mmd_weight=mmd_weight, random_state=seed)
    clf.fit(X, y, class_semantics=SEMANTICS)
    return clf, clf.sample([3], 500, random_state=0)[0]


def fit_toy(seed, **params):
    X, y = make_toy(random_state=seed)
    clf = IZFClassifier(**TOY_PARAMS, **params, random_state=seed)
    return clf.fit(X, y, class_semantics=SEMANTICS)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_unseen_class_generated_at_its_corner_and_seen_clusters_round(seed):
    """Check the toy claim for three seeds with the default objective.

    The mean of 500 generated unseen samples is within 0.5 of (1, 1); every
    generated seen class has its real centre (within 0.25) and its real,
    round spread (standard deviation 1/3 on both axes, within 0.1).
    """
    clf = fit_toy(seed)
    X_gen, y_gen = clf.sample([0, 1, 2, 3], 500, random_state=0)
    assert np.linalg.norm(X_gen[y_gen == 3].mean(axis=0) - 1.0) < NEAR
    for k, centre in enumerate(SEEN_CENTRES):
        generated = X_gen[y_gen == k]
        assert np.linalg.norm(generated.mean(axis=0) - centre) < 0.25
        assert np.all(np.abs(generated.std(axis=0) - 1 / 3) < 0.1)


def test_unbounded_negative_term_runs_away_on_the_toy():
    """Check the paper's unbounded form at weight 1 on the toy, for contrast.

    Without the hinge and the range penalty, the generated unseen samples
    leave the data far behind (the data lie within about 2.5 of the origin).
    """
    clf = fit_toy(0, mmd_weight=1.0, mmd_margin=None, range_weight=0.0)
    X_gen, _ = clf.sample([3], 500, random_state=0)
    assert np.linalg.norm(X_gen.mean(axis=0) - 1.0) > 3.0
