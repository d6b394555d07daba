"""
==================================================
Pipelines with metadata routing off and on
==================================================

Class semantics are a ``fit`` argument, and scikit-learn's meta-estimators
(:class:`~sklearn.pipeline.Pipeline`,
:class:`~sklearn.model_selection.GridSearchCV`,
:func:`~sklearn.model_selection.cross_validate`) must forward them to the
zero-shot step. This example shows the three ways to do it and checks that
they give the same model:

1. metadata routing **off** (scikit-learn's default): prefix the argument with
   the step name, ``<step>__class_semantics``;
2. metadata routing **on**: pass ``class_semantics`` by its plain name (the
   zero-shot classifiers request it by default, no ``set_fit_request``
   needed);
3. no forwarding at all: give the semantics to the constructor, which also
   lets a grid search choose between semantic modalities.

The data are generated, so every number is computed on **synthetic features**.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data with two semantic modalities
# ---------------------------------
#
# ``n_semantics=(16, 8)`` gives each class two modalities that see different
# parts of the class's latent code, as attributes and word vectors would.
import matplotlib.pyplot as plt
import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_zsl import ClassSemantics
from sklearn_zsl.datasets import make_zsl_classification
from sklearn_zsl.linear import SAEClassifier
from sklearn_zsl.metrics import zsl_scorer
from sklearn_zsl.model_selection import ZSLKFold

X, y, class_semantics, unseen_classes = make_zsl_classification(
    n_semantics=(16, 8), random_state=0
)
train = ~np.isin(y, unseen_classes)
X_train, y_train = X[train], y[train]
print(class_semantics)

cv = ZSLKFold(n_splits=4, shuffle=True, random_state=0)
param_grid = {"saeclassifier__alpha": [0.001, 0.01, 0.1]}


def make_model(**sae_params):
    """Scale, reduce to 32 components, then SAE."""
    return make_pipeline(
        StandardScaler(),
        PCA(n_components=32, random_state=0),
        SAEClassifier(**sae_params),
    )


# %%
# 1. Routing off: ``<step>__class_semantics``
# -------------------------------------------
#
# ``Pipeline.fit`` forwards ``saeclassifier__class_semantics`` to the step
# named ``saeclassifier``; ``GridSearchCV.fit`` forwards whatever it receives
# to the pipeline's ``fit``; ``cross_validate`` takes it as ``params=``.
pipe = make_model().fit(
    X_train, y_train, saeclassifier__class_semantics=class_semantics
)
print("unseen classes known to the fitted pipeline:", pipe[-1].unseen_classes_)

search_off = GridSearchCV(make_model(), param_grid, cv=cv, scoring=zsl_scorer)
search_off.fit(X_train, y_train, saeclassifier__class_semantics=class_semantics)

cv_off = cross_validate(
    make_model(),
    X_train,
    y_train,
    cv=cv,
    scoring=zsl_scorer,
    params={"saeclassifier__class_semantics": class_semantics},
)
print(
    f"routing off: best {search_off.best_params_}, "
    f"cross-validated ZSL accuracy {cv_off['test_score'].mean():.3f} "
    "(synthetic features)"
)

# %%
# 2. Routing on: ``class_semantics``
# ----------------------------------
#
# With ``enable_metadata_routing=True`` every meta-estimator forwards
# ``class_semantics`` by name to the consumers that request it. The zero-shot
# classifiers request it by default, so the code needs no
# ``set_fit_request(class_semantics=True)``.
with sklearn.config_context(enable_metadata_routing=True):
    search_on = GridSearchCV(make_model(), param_grid, cv=cv, scoring=zsl_scorer)
    search_on.fit(X_train, y_train, class_semantics=class_semantics)
    cv_on = cross_validate(
        make_model(),
        X_train,
        y_train,
        cv=cv,
        scoring=zsl_scorer,
        params={"class_semantics": class_semantics},
    )
print(
    f"routing on:  best {search_on.best_params_}, "
    f"cross-validated ZSL accuracy {cv_on['test_score'].mean():.3f} "
    "(synthetic features)"
)
assert search_on.best_params_ == search_off.best_params_
np.testing.assert_allclose(cv_on["test_score"], cv_off["test_score"])

# %%
# With routing on, the prefixed name is an error: scikit-learn refuses
# arguments that no step requests under that name.
with sklearn.config_context(enable_metadata_routing=True):
    try:
        make_model().fit(
            X_train, y_train, saeclassifier__class_semantics=class_semantics
        )
    except TypeError as exc:
        print(f"TypeError: {exc}")

# %%
# 3. No forwarding: the constructor parameter
# -------------------------------------------
#
# Given to the constructor, the semantics are part of the model: nothing is
# forwarded, the routing setting is irrelevant, and the search can treat them
# as a hyperparameter. Here it chooses between each modality alone and both
# together.
attributes = ClassSemantics(
    class_semantics.labels, {"attributes": class_semantics.to_numpy("attributes")}
)
other = ClassSemantics(
    class_semantics.labels, {"modality_1": class_semantics.to_numpy("modality_1")}
)
choices = {"attributes": attributes, "modality_1": other, "both": class_semantics}

search_semantics = GridSearchCV(
    make_model(),
    {"saeclassifier__class_semantics": list(choices.values()), **param_grid},
    cv=cv,
    scoring=zsl_scorer,
)
search_semantics.fit(X_train, y_train)
best = search_semantics.best_params_["saeclassifier__class_semantics"]
print("best semantics:", next(name for name, value in choices.items() if value is best))

# %%
# Combining the two modalities gives the best validation accuracy: each one
# misses information the other carries.
results = search_semantics.cv_results_
scores = results["mean_test_score"]
tried = results["param_saeclassifier__class_semantics"]
best_per_choice = [
    max(score for score, used in zip(scores, tried, strict=True) if used is choice)
    for choice in choices.values()
]
fig, ax = plt.subplots(figsize=(5.5, 3.5))
bars = ax.bar(list(choices), best_per_choice, color=["C0", "C1", "C2"])
ax.bar_label(bars, fmt="%.3f")
ax.set_ylabel("best validation ZSL accuracy")
ax.set_title("SAE, class semantics chosen by GridSearchCV\n(synthetic features)")
ax.set_ylim(0, 1)
fig.tight_layout()
plt.show()
