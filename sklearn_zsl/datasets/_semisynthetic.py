"""Semi-synthetic zero-shot data: real class semantics, synthetic features."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import os
from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from sklearn_zsl.datasets._synthetic import GENERATOR_CONSTRAINTS, generate_features
from sklearn_zsl.datasets._xlsa17 import load_xlsa17
from sklearn_zsl.model_selection._holdout import (
    assign_class_folds,
    hold_out_samples,
    min_classes_for_folds,
)
from sklearn_zsl.semantics import _format_labels, check_class_semantics

__all__ = ["make_zsl_from_semantics", "make_zsl_from_xlsa17"]


@validate_params(
    {
        "class_semantics": "no_validation",
        "unseen_classes": ["array-like"],
        "n_samples_per_class": [
            Interval(Integral, 1, None, closed="left"),
            dict,
            "array-like",
        ],
        "n_latent": [Interval(Integral, 1, None, closed="left")],
        "test_seen_size": [Interval(Real, 0, 1, closed="left")],
        "validation_class_folds": [list, tuple, None],
        "n_validation_folds": [Interval(Integral, 0, None, closed="left")],
        **GENERATOR_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def make_zsl_from_semantics(
    class_semantics,
    *,
    unseen_classes,
    n_samples_per_class=50,
    n_features: int = 64,
    n_latent: int = 16,
    noise: float = 1.0,
    class_variation: float = 0.5,
    nonlinearity: float = 0.8,
    within_class_spread: float = 0.3,
    test_seen_size: float = 0.2,
    validation_class_folds: list | None = None,
    n_validation_folds: int = 3,
    random_state=None,
):
    """Generate synthetic features for real (or any) class semantics.

    The class codes of :func:`make_zsl_classification`'s process are the
    principal components of the given semantics, so the features of classes
    with similar semantics are similar. The result is laid out like
    :func:`load_xlsa17`'s: a split into trainval, test-seen and test-unseen
    samples and class-disjoint validation folds. Its features are synthetic,
    and its ``DESCR`` says so.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    class_semantics : ClassSemantics, pandas.DataFrame or dict
        Semantics of every class, in any form accepted by
        :func:`~sklearn_zsl.check_class_semantics`; all modalities are used.
    unseen_classes : array-like of labels
        The unseen classes; at least two classes must remain seen.
    n_samples_per_class : int, dict or array-like of int, default=50
        Samples per class: one count for all classes, a dict ``{label: count}``
        covering every class (e.g. :func:`load_xlsa17`'s ``class_counts``), or
        one count per class in the order of the semantics' labels.
    n_features : int, default=64
        Number of features.
    n_latent : int, default=16
        Number of principal components of the standardised semantics used as
        class codes (fewer when there are fewer classes or dimensions).
    noise, class_variation, nonlinearity, within_class_spread : float
        Parameters of the feature generator, as in
        :func:`make_zsl_classification` (defaults 1.0, 0.5, 0.8 and 0.3).
    test_seen_size : float, default=0.2
        Share of the seen classes' samples put in the test-seen part, rounded
        up and shared among the seen classes in proportion to their sizes, so
        that each gives its share of samples rounded down or up, keeps at
        least one and gives at least one when it has two or more (see
        :ref:`holding_out`); 0.2 is the share of xlsa17's proposed split.
    validation_class_folds : list of (array-like, array-like), default=None
        ``(train_classes, val_classes)`` of each validation fold, e.g.
        :func:`load_xlsa17`'s ``validation_class_folds``. ``None`` partitions
        the seen classes at random into ``n_validation_folds`` groups of
        balanced sizes (as :class:`~sklearn_zsl.model_selection.ZSLKFold`
        with ``shuffle=True``), each the validation classes of one fold.
    n_validation_folds : int, default=3
        Number of random folds when ``validation_class_folds`` is None; 0 for
        none.
    random_state : int, RandomState instance or None, default=None
        Seed of the generator; an int gives identical outputs on every call.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        The fields of :func:`load_xlsa17`'s Bunch: ``data`` (float32),
        ``target``, ``target_names``, ``class_semantics``, ``seen_classes``,
        ``unseen_classes``, ``trainval_indices``, ``test_seen_indices``,
        ``test_unseen_indices``, ``validation_folds``,
        ``validation_class_folds``, ``class_counts``, ``feature_names`` (None)
        and ``DESCR``, plus ``synthetic_features=True``.

    See Also
    --------
    make_zsl_from_xlsa17 : The same from an xlsa17 dataset's split file.
    make_zsl_classification : Fully synthetic semantics and features.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl import ClassSemantics
    >>> from sklearn_zsl.datasets import make_zsl_from_semantics
    >>> rng = np.random.RandomState(0)
    >>> semantics = ClassSemantics(list("abcdefgh"), {"attributes": rng.rand(8, 5)})
    >>> data = make_zsl_from_semantics(
    ...     semantics, unseen_classes=["b", "g"], n_samples_per_class=10,
    ...     random_state=0,
    ... )
    >>> data.data.shape, data.trainval_indices.shape, data.test_unseen_indices.shape
    ((80, 64), (48,), (20,))
    >>> data.DESCR.splitlines()[0]
    'Semi-synthetic zero-shot data (synthetic features)'
    """
    semantics = check_class_semantics(class_semantics)
    labels = semantics.labels
    unseen, seen = _check_unseen(unseen_classes, labels)
    counts = _class_counts(n_samples_per_class, labels)
    rng = check_random_state(random_state)
    y_ind = rng.permutation(np.repeat(np.arange(labels.size), counts))
    target = labels[y_ind]
    trainval, test_seen, test_unseen = _split_samples(target, seen, test_seen_size, rng)
    if validation_class_folds is None:
        validation_class_folds = _random_class_folds(
            target[trainval], seen, n_validation_folds, rng
        )
    class_folds = _check_class_folds(validation_class_folds, seen)
    data = generate_features(
        _latent_codes(semantics.to_numpy(), n_latent),
        y_ind,
        n_features=n_features,
        noise=noise,
        class_variation=class_variation,
        nonlinearity=nonlinearity,
        within_class_spread=within_class_spread,
        rng=rng,
    )
    return _semisynthetic_bunch(
        data,
        target,
        semantics,
        seen,
        unseen,
        (trainval, test_seen, test_unseen),
        class_folds,
        title="Semi-synthetic zero-shot data",
    )


@validate_params(
    {
        "root": [str, os.PathLike, None],
        "name": [str, None],
        "semantics": [StrOptions({"att", "original_att"})],
        "extra_semantics": [dict, None],
        "metadata_dir": [str, os.PathLike, None],
        "n_latent": [Interval(Integral, 1, None, closed="left")],
        **GENERATOR_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def make_zsl_from_xlsa17(
    root=None,
    name=None,
    *,
    semantics: str = "att",
    extra_semantics=None,
    metadata_dir=None,
    n_features: int = 64,
    n_latent: int = 16,
    noise: float = 1.0,
    class_variation: float = 0.5,
    nonlinearity: float = 0.8,
    within_class_spread: float = 0.3,
    random_state=None,
):
    """Generate synthetic features for an xlsa17 dataset's real semantics and split.

    Only ``att_splits.mat`` and the class lists are read (no ``res101.mat``).
    When the class of every image is known (CUB and AWA2 with
    ``metadata_dir``), one feature vector is generated per real image and the
    real split indices and validation folds are kept. Otherwise the per-class
    counts are a uniform estimate that matches the split sizes, and the samples
    are split per class as in :func:`make_zsl_from_semantics`.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    root : str or os.PathLike, default=None
        Folder of the xlsa17 datasets, as in :func:`load_xlsa17`.
    name : str
        The dataset, e.g. ``"CUB"``.
    semantics : {"att", "original_att"}, default="att"
        Which attributes to read, as in :func:`load_xlsa17`.
    extra_semantics : dict of str to path or ClassSemantics, default=None
        Further modalities, as in :func:`load_xlsa17`; the features are drawn
        from all modalities.
    metadata_dir : str or os.PathLike, default=None
        Folder of the original release (``cub_200_2011/`` for CUB,
        ``awa2_base/`` for AWA2): with it, the real split is kept.
    n_features : int, default=64
        Number of features.
    n_latent : int, default=16
        Number of principal components of the semantics used as class codes.
    noise, class_variation, nonlinearity, within_class_spread : float
        Parameters of the feature generator, as in
        :func:`make_zsl_classification` (defaults 1.0, 0.5, 0.8 and 0.3).
    random_state : int, RandomState instance or None, default=None
        Seed of the generator; an int gives identical outputs on every call.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        As :func:`make_zsl_from_semantics`, plus ``name`` and
        ``class_counts_source``; its ``DESCR`` says "synthetic features".

    See Also
    --------
    load_xlsa17 : The loader, with real features.

    Examples
    --------
    >>> from sklearn_zsl.datasets import make_zsl_from_xlsa17
    >>> cub = make_zsl_from_xlsa17(
    ...     "data/xlsa17", "CUB", metadata_dir="data/cub_200_2011", random_state=0
    ... )  # doctest: +SKIP
    >>> cub.data.shape  # doctest: +SKIP
    (11788, 64)
    """
    split = load_xlsa17(
        root,
        name,
        features=None,
        semantics=semantics,
        extra_semantics=extra_semantics,
        metadata_dir=metadata_dir,
    )
    generator = {
        "n_features": n_features,
        "noise": noise,
        "class_variation": class_variation,
        "nonlinearity": nonlinearity,
        "within_class_spread": within_class_spread,
    }
    if split.target is None:
        dataset = make_zsl_from_semantics(
            split.class_semantics,
            unseen_classes=split.unseen_classes,
            n_samples_per_class=split.class_counts,
            validation_class_folds=split.validation_class_folds,
            n_latent=n_latent,
            random_state=random_state,
            **generator,
        )
    else:
        dataset = _from_real_labels(split, n_latent, random_state, generator)
    dataset.name = split.name
    dataset.class_counts_source = split.class_counts_source
    dataset.DESCR += (
        f"- semantics, classes and split of xlsa17 {split.name}; per-class "
        f"counts: {split.class_counts_source}\n"
    )
    return dataset


def _from_real_labels(split, n_latent, random_state, generator):
    """One synthetic sample per real image, keeping the real split and folds."""
    rng = check_random_state(random_state)
    semantics = split.class_semantics
    order = np.argsort(semantics.labels)
    y_ind = order[np.searchsorted(semantics.labels, split.target, sorter=order)]
    data = generate_features(
        _latent_codes(semantics.to_numpy(), n_latent), y_ind, rng=rng, **generator
    )
    splits = (
        split.trainval_indices,
        split.test_seen_indices,
        split.test_unseen_indices,
    )
    return _semisynthetic_bunch(
        data,
        split.target,
        semantics,
        split.seen_classes,
        split.unseen_classes,
        splits,
        split.validation_class_folds,
        title="Semi-synthetic zero-shot data",
        folds=split.validation_folds,
    )


def _check_unseen(unseen_classes, labels):
    unseen = np.unique(np.asarray(unseen_classes))
    if unseen.size == 0:
        raise ValueError("unseen_classes is empty; give at least one class.")
    missing = np.setdiff1d(unseen, labels)
    if missing.size:
        raise ValueError(
            f"unseen_classes {_format_labels(missing)} have no class semantics; "
            "each must be a label of class_semantics."
        )
    seen = np.setdiff1d(labels, unseen)
    if seen.size < 2:
        raise ValueError(
            f"Only {seen.size} seen class remains; leave at least 2 classes out "
            "of unseen_classes."
        )
    return unseen, seen


def _class_counts(n_samples_per_class, labels) -> np.ndarray:
    if isinstance(n_samples_per_class, Integral):
        return np.full(labels.size, int(n_samples_per_class))
    if isinstance(n_samples_per_class, Mapping):
        missing = [c for c in labels.tolist() if c not in n_samples_per_class]
        if missing:
            raise ValueError(
                f"n_samples_per_class has no count for the classes "
                f"{_format_labels(missing)}; give one for every class."
            )
        counts = np.array([n_samples_per_class[c] for c in labels.tolist()])
    else:
        counts = np.asarray(n_samples_per_class)
        if counts.shape != labels.shape:
            raise ValueError(
                f"n_samples_per_class has shape {counts.shape}; give one count per "
                f"class ({labels.size}) in the order of the semantics' labels."
            )
    if counts.dtype.kind not in "iu" or counts.min() < 1:
        raise ValueError(
            "n_samples_per_class must hold integer counts of at least 1, got "
            f"values in [{counts.min()}, {counts.max()}]."
        )
    return counts.astype(np.int64)


def _split_samples(target, seen, test_seen_size, rng):
    """Hold out a ``test_seen_size`` share of the seen classes as test seen."""
    positions = np.flatnonzero(np.isin(target, seen))
    is_test = hold_out_samples(target[positions], test_seen_size, random_state=rng)
    test_unseen = np.flatnonzero(~np.isin(target, seen))
    return positions[~is_test], positions[is_test], test_unseen


def _random_class_folds(target, seen, n_folds, rng) -> list:
    """``(train_classes, val_classes)`` of ``n_folds`` random class-disjoint folds.

    The seen classes are partitioned as :class:`ZSLKFold` partitions them with
    ``shuffle=True``, balanced in samples of ``target``.
    """
    if n_folds == 0:
        return []
    min_classes = min_classes_for_folds(n_folds)
    if min_classes is None or seen.size < min_classes:
        raise ValueError(
            f"{seen.size} seen classes are too few for n_validation_folds="
            f"{n_folds} class-disjoint folds (each needs validation classes and "
            "2 training classes); lower n_validation_folds."
        )
    counts = np.array([np.count_nonzero(target == label) for label in seen])
    fold_of_class = assign_class_folds(counts, n_folds, shuffle=True, random_state=rng)
    return [
        (seen[fold_of_class != fold], seen[fold_of_class == fold])
        for fold in range(n_folds)
    ]


def _check_class_folds(folds, seen) -> list:
    checked = []
    for k, fold in enumerate(folds):
        if len(fold) != 2:
            raise ValueError(
                f"validation_class_folds[{k}] must be a pair (train_classes, "
                "val_classes)."
            )
        train, val = (np.unique(np.asarray(part)) for part in fold)
        outside = np.setdiff1d(np.union1d(train, val), seen)
        if outside.size or np.intersect1d(train, val).size or not val.size:
            raise ValueError(
                f"validation_class_folds[{k}] must split seen classes into two "
                "disjoint, non-empty sets; it has classes "
                f"{_format_labels(outside)} that are not seen, or shares classes "
                "between training and validation."
            )
        checked.append((train, val))
    return checked


def _latent_codes(matrix, n_latent) -> np.ndarray:
    """Leading principal components of the standardised semantics, unit variance."""
    std = matrix.std(axis=0)
    centred = (matrix - matrix.mean(axis=0)) / np.where(std > 0, std, 1.0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    keep = max(1, min(n_latent, int(np.sum(s > 1e-10 * max(s[0], 1e-300)))))
    codes = u[:, :keep] * np.sqrt(matrix.shape[0])
    return codes


def _semisynthetic_bunch(
    data, target, semantics, seen, unseen, splits, class_folds, *, title, folds=None
):
    trainval = splits[0]
    if folds is None:
        labels = target[trainval]
        folds = [
            (trainval[np.isin(labels, train)], trainval[np.isin(labels, val)])
            for train, val in class_folds
        ]
    values, counts = np.unique(target, return_counts=True)
    found = dict(zip(values.tolist(), counts.tolist(), strict=True))
    descr = (
        f"{title} (synthetic features)\n"
        f"{'=' * (len(title) + 21)}\n\n"
        "The features are SYNTHETIC: drawn by sklearn_zsl from the class "
        "semantics, not extracted from images. Report any number computed on "
        "them as obtained on synthetic features.\n\n"
        f"- classes: {semantics.n_classes} ({seen.size} seen, {unseen.size} "
        "unseen)\n"
        f"- samples: {trainval.size} trainval, {splits[1].size} test seen, "
        f"{splits[2].size} test unseen\n"
        f"- synthetic features: {data.shape[1]} per sample\n"
        f"- class semantics: {semantics.dims}\n"
        f"- validation folds: {len(folds)} class-disjoint folds\n"
    )
    return Bunch(
        data=data,
        target=target,
        target_names=semantics.labels,
        class_semantics=semantics,
        seen_classes=seen,
        unseen_classes=unseen,
        trainval_indices=trainval,
        test_seen_indices=splits[1],
        test_unseen_indices=splits[2],
        validation_folds=folds,
        validation_class_folds=class_folds,
        class_counts={c: int(found.get(c, 0)) for c in semantics.labels.tolist()},
        feature_names=None,
        synthetic_features=True,
        DESCR=descr,
    )
