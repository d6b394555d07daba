"""Data of the benchmark: load a data set, describe it, cut it for the run.

A data set goes through this module in one direction:

1. :func:`load_benchmark_dataset` loads or generates it as a
   :class:`~sklearn.utils.Bunch` laid out like
   :func:`~sklearn_zsl.datasets.load_xlsa17`'s: features, labels, class
   semantics, the proposed split (trainval, test seen, test unseen) and
   class-disjoint validation folds inside trainval, plus
   ``synthetic_features``;
2. :func:`describe_dataset` gives its name, sizes and one-line summary;
3. :func:`make_task` cuts it into what the run needs: the trainval samples
   with generalised-ZSL validation folds over them
   (:func:`gzsl_validation_folds`), and the test samples.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
from sklearn.utils import Bunch, check_random_state

from sklearn_zsl.model_selection import ZSLKFold
from sklearn_zsl.model_selection._holdout import hold_out_samples

__all__ = [
    "BenchmarkTask",
    "describe_dataset",
    "gzsl_validation_folds",
    "load_benchmark_dataset",
    "make_task",
]

#: Sizes of the built-in synthetic problem, quick and default runs.
SYNTHETIC_SIZES = {
    True: {
        "n_classes": 40,
        "n_unseen": 10,
        "n_samples_per_class": 60,
        "n_features": 64,
        "n_semantics": 16,
    },
    False: {
        "n_classes": 50,
        "n_unseen": 12,
        "n_samples_per_class": 80,
        "n_features": 128,
        "n_semantics": 24,
    },
}
#: Share of each seen class held out as test-seen samples (as in xlsa17).
TEST_SEEN_SIZE = 0.2
#: Number of class-disjoint validation folds made when a data set has none.
N_VALIDATION_FOLDS = 3


def load_benchmark_dataset(
    dataset: str = "synthetic",
    *,
    data_dir: str | os.PathLike | None = None,
    semantics_from: str | os.PathLike | None = None,
    quick: bool = False,
    random_state: int | None = 0,
) -> Bunch:
    """Load or generate the data set of a benchmark run.

    Parameters
    ----------
    dataset : str, default="synthetic"
        ``"synthetic"``: the built-in problem of
        :func:`~sklearn_zsl.datasets.make_zsl_classification`, no file needed.
        Otherwise the name of an xlsa17 data set (``"AWA1"``, ``"AWA2"``,
        ``"CUB"``, ``"SUN"``, ``"APY"`` or any folder in that format).
    data_dir : str or os.PathLike, default=None
        Root of the xlsa17 files (the folder holding ``CUB/res101.mat``); real
        features are loaded from it. ``None`` reads ``XLSA17_ROOT``.
    semantics_from : str or os.PathLike, default=None
        An ``att_splits.mat`` file, its data set folder or the xlsa17 root:
        the real class semantics, classes and split of ``dataset`` with
        synthetic features (:func:`~sklearn_zsl.datasets.make_zsl_from_xlsa17`).
        Exclusive with ``data_dir``.
    quick : bool, default=False
        Generate a smaller synthetic problem.
    random_state : int or None, default=0
        Seed of the generated features and of the synthetic split.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        ``data``, ``target``, ``class_semantics``, ``seen_classes``,
        ``unseen_classes``, ``trainval_indices``, ``test_seen_indices``,
        ``test_unseen_indices``, ``validation_folds`` (class-disjoint
        ``(train, val)`` index pairs within trainval), ``synthetic_features``,
        ``name`` and ``DESCR``.
    """
    if semantics_from is not None and data_dir is not None:
        raise ValueError(
            "semantics_from (synthetic features from real class semantics) and "
            "data_dir (real features) exclude each other; give one."
        )
    if semantics_from is not None:
        root, name = _semantics_root(semantics_from, dataset)
        from sklearn_zsl.datasets import make_zsl_from_xlsa17

        data = make_zsl_from_xlsa17(root, name, random_state=random_state)
    elif dataset.lower() == "synthetic":
        if data_dir is not None:
            raise ValueError(
                "data_dir reads real xlsa17 features; name the data set too "
                "(e.g. dataset='CUB')."
            )
        data = _synthetic_dataset(quick, random_state)
    else:
        from sklearn_zsl.datasets import load_xlsa17

        data = load_xlsa17(data_dir, dataset)
    if not data.validation_folds:
        data.validation_folds = _class_disjoint_folds(
            data.target, data.trainval_indices, random_state
        )
    return data


def _semantics_root(path, dataset) -> tuple[str, str]:
    """The xlsa17 root and data set name designated by ``path``."""
    path = os.path.abspath(os.fspath(path))
    if os.path.isfile(path):
        folder = os.path.dirname(path)
        if os.path.basename(path) != "att_splits.mat":
            raise ValueError(
                f"{path!r} is not an att_splits.mat file; give the xlsa17 split "
                "file, its data set folder or the xlsa17 root folder."
            )
    elif os.path.isfile(os.path.join(path, "att_splits.mat")):
        folder = path
    elif os.path.isdir(path):
        if dataset.lower() == "synthetic":
            raise ValueError(
                f"{path!r} is an xlsa17 root folder: name the data set to read "
                "from it (e.g. dataset='CUB')."
            )
        return path, dataset
    else:
        raise FileNotFoundError(
            f"{path!r} does not exist; give an att_splits.mat file, its data set "
            "folder or the xlsa17 root folder."
        )
    name = os.path.basename(folder)
    if dataset.lower() not in ("synthetic", name.lower()):
        raise ValueError(
            f"{path!r} holds the data set {name!r} but {dataset!r} was asked for; "
            "drop the name or give the matching file."
        )
    return os.path.dirname(folder), name


def _synthetic_dataset(quick, random_state) -> Bunch:
    """The built-in synthetic problem, split like xlsa17."""
    from sklearn_zsl.datasets import make_zsl_classification

    sizes = SYNTHETIC_SIZES[bool(quick)]
    X, y, class_semantics, unseen_classes = make_zsl_classification(
        **sizes, random_state=random_state
    )
    indices = np.arange(y.shape[0])
    is_unseen = np.isin(y, unseen_classes)
    seen_indices = indices[~is_unseen]
    is_test = hold_out_samples(
        y[seen_indices], TEST_SEEN_SIZE, random_state=random_state
    )
    trainval, test_seen = seen_indices[~is_test], seen_indices[is_test]
    seen_classes = np.setdiff1d(class_semantics.labels, unseen_classes)
    descr = (
        "Synthetic zero-shot data (synthetic features)\n"
        "=============================================\n\n"
        "Features and class semantics generated by "
        "sklearn_zsl.datasets.make_zsl_classification: no image and no real "
        "class description is involved.\n\n"
        f"- classes: {class_semantics.n_classes} ({seen_classes.size} seen, "
        f"{unseen_classes.size} unseen)\n"
        f"- samples: {trainval.size} trainval, {test_seen.size} test seen, "
        f"{int(is_unseen.sum())} test unseen\n"
        f"- synthetic features: {X.shape[1]} per sample\n"
        f"- class semantics: {class_semantics.dims}\n"
    )
    return Bunch(
        data=X,
        target=y,
        class_semantics=class_semantics,
        seen_classes=seen_classes,
        unseen_classes=np.asarray(unseen_classes),
        trainval_indices=trainval,
        test_seen_indices=test_seen,
        test_unseen_indices=indices[is_unseen],
        validation_folds=[],
        synthetic_features=True,
        name="synthetic",
        DESCR=descr,
    )


def _class_disjoint_folds(target, trainval, random_state) -> list:
    """Class-disjoint ``(train, val)`` folds of trainval, as global indices."""
    cv = ZSLKFold(N_VALIDATION_FOLDS, shuffle=True, random_state=random_state)
    return [
        (trainval[train], trainval[val])
        for train, val in cv.split(trainval, target[trainval])
    ]


def gzsl_validation_folds(
    target, folds, *, test_size: float = TEST_SEEN_SIZE, random_state=None
) -> list:
    """Turn class-disjoint validation folds into generalised-ZSL folds.

    Each fold ``(train, val)`` of zero-shot validation (``val`` holds every
    sample of the fold's validation classes) becomes ``(train - held, held +
    val)``, with ``held`` a ``test_size`` share of the training classes'
    samples, held out class by class
    (:func:`~sklearn_zsl.model_selection._holdout.hold_out_samples`), so that
    the validation part has samples of seen *and* unseen classes, as a GZSL
    test set has.

    Parameters
    ----------
    target : ndarray of shape (n_samples,)
        Labels of all samples.
    folds : list of (ndarray, ndarray)
        Class-disjoint ``(train_indices, val_indices)`` into ``target``.
    test_size : float, default=0.2
        Share of the training classes' samples moved to the validation part,
        rounded up, shared among the classes by largest remainder (each keeps
        a sample and, when it has two or more, gives at least one).
    random_state : int, RandomState instance or None, default=None
        Which samples are moved.

    Returns
    -------
    folds : list of (ndarray, ndarray)
        The generalised folds, sorted indices into ``target``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl._benchmark import gzsl_validation_folds
    >>> target = np.repeat([0, 1, 2], 5)
    >>> folds = [(np.arange(10), np.arange(10, 15))]  # class 2 for validation
    >>> [(train, val)] = gzsl_validation_folds(target, folds, random_state=0)
    >>> np.bincount(target[train]).tolist(), np.bincount(target[val]).tolist()
    ([4, 4], [1, 1, 5])
    """
    rng = check_random_state(random_state)
    gzsl_folds = []
    for train, val in folds:
        held = train[hold_out_samples(target[train], test_size, random_state=rng)]
        gzsl_folds.append(
            (np.sort(np.setdiff1d(train, held)), np.sort(np.concatenate([held, val])))
        )
    return gzsl_folds


def describe_dataset(data: Bunch) -> dict:
    """Name, sizes and a one-line summary of a benchmark data set.

    Parameters
    ----------
    data : Bunch
        Output of :func:`load_benchmark_dataset`, or a Bunch laid out alike.

    Returns
    -------
    info : dict
        ``name``, ``synthetic_features``, the class, sample and feature
        counts, ``summary`` (one line, naming the kind of features) and
        ``DESCR``.
    """
    n_classes = data.class_semantics.n_classes
    sizes = {
        "n_classes": n_classes,
        "n_seen_classes": int(np.size(data.seen_classes)),
        "n_unseen_classes": int(np.size(data.unseen_classes)),
        "n_trainval": int(data.trainval_indices.size),
        "n_test_seen": int(data.test_seen_indices.size),
        "n_test_unseen": int(data.test_unseen_indices.size),
        "n_features": int(data.data.shape[1]),
    }
    synthetic = bool(data.get("synthetic_features", False))
    kind = "synthetic features" if synthetic else "real features"
    summary = (
        f"{data.get('name', 'dataset')} ({kind}): {n_classes} classes "
        f"({sizes['n_seen_classes']} seen, {sizes['n_unseen_classes']} unseen), "
        f"{sizes['n_features']} features; {sizes['n_trainval']:,} trainval, "
        f"{sizes['n_test_seen']:,} test-seen, {sizes['n_test_unseen']:,} "
        "test-unseen samples"
    )
    return {
        "name": str(data.get("name", "dataset")),
        "synthetic_features": synthetic,
        **sizes,
        "summary": summary,
        "DESCR": data.get("DESCR", ""),
    }


@dataclass(frozen=True)
class BenchmarkTask:
    """A data set cut for the benchmark: search on trainval, test on the rest.

    Attributes
    ----------
    X_train, y_train : ndarray
        The trainval samples, on which hyperparameters are searched and the
        chosen model is refitted.
    cv : list of (ndarray, ndarray)
        Generalised-ZSL validation folds: ``(train, val)`` positions into
        ``X_train``.
    X_test, y_test : ndarray
        The test-seen samples followed by the test-unseen samples.
    class_semantics : ClassSemantics
        Semantics of every class, seen and unseen.
    info : dict
        :func:`describe_dataset` of the data set.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    cv: list
    X_test: np.ndarray
    y_test: np.ndarray
    class_semantics: object
    info: dict


def make_task(data: Bunch, *, random_state=None) -> BenchmarkTask:
    """Cut a benchmark data set into search, validation and test samples.

    Parameters
    ----------
    data : Bunch
        Output of :func:`load_benchmark_dataset`, or a Bunch laid out alike
        (with ``validation_folds``).
    random_state : int, RandomState instance or None, default=None
        Which samples of the training classes :func:`gzsl_validation_folds`
        moves to the validation part of each fold.

    Returns
    -------
    task : BenchmarkTask
        The trainval samples and their validation folds, the test samples
        and the description of the data set.
    """
    X, y = data.data, data.target
    trainval = data.trainval_indices
    folds = gzsl_validation_folds(y, data.validation_folds, random_state=random_state)
    # the folds index all samples; the search sees trainval only
    position = np.full(y.shape[0], -1)
    position[trainval] = np.arange(trainval.size)
    test = np.concatenate([data.test_seen_indices, data.test_unseen_indices])
    return BenchmarkTask(
        X_train=X[trainval],
        y_train=y[trainval],
        cv=[(position[train], position[val]) for train, val in folds],
        X_test=X[test],
        y_test=y[test],
        class_semantics=data.class_semantics,
        info=describe_dataset(data),
    )
