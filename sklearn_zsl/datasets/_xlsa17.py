"""Loader of the xlsa17 zero-shot learning benchmarks (Xian et al., 2018).

The "proposed split" of Xian et al. ships, per dataset, an ``att_splits.mat``
(class attributes, class names and the 1-based index vectors of the split)
next to a ``res101.mat`` of ResNet-101 image features, plus text files listing
the classes of the split and of three class-disjoint validation folds.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping

import numpy as np
from sklearn.utils import Bunch

from sklearn_zsl.datasets._matfile import (
    as_indices,
    as_strings,
    format_names,
    get_entry,
    read_class_list,
    read_mat,
)
from sklearn_zsl.datasets._metadata import (
    check_split_labels,
    index_folds,
    read_class_folds,
    read_metadata,
    seen_unseen_classes,
    uniform_class_counts,
)
from sklearn_zsl.datasets._semantics_io import combine_semantics
from sklearn_zsl.semantics import ClassSemantics

__all__ = ["load_xlsa17"]

#: The five benchmarks of the proposed split: title, classes, seen, unseen.
XLSA17_DATASETS = {
    "APY": ("aPascal & aYahoo (Farhadi et al., 2009)", 32, 20, 12),
    "AWA1": ("Animals with Attributes 1 (Lampert et al., 2009)", 50, 40, 10),
    "AWA2": ("Animals with Attributes 2 (Xian et al., 2018)", 50, 40, 10),
    "CUB": ("Caltech-UCSD Birds-200-2011 (Wah et al., 2011)", 200, 150, 50),
    "SUN": ("SUN Attribute (Patterson & Hays, 2012)", 717, 645, 72),
}
_SPLIT_KEYS = ("trainval_loc", "test_seen_loc", "test_unseen_loc")
#: Sub-folders searched, in order, below ``root`` for the dataset folder.
_LAYOUTS = ("", "data", "xlsa17", os.path.join("xlsa17", "data"))


def load_xlsa17(
    root: str | os.PathLike | None = None,
    name: str | None = None,
    *,
    features: str | os.PathLike | None = "res101",
    semantics: str = "att",
    extra_semantics: Mapping | None = None,
    metadata_dir: str | os.PathLike | None = None,
    return_X_y: bool = False,
):
    """Load an xlsa17 benchmark (AWA1, AWA2, CUB, SUN, APY), proposed split.

    Reads ``<root>/<name>/att_splits.mat``, the image features
    ``<root>/<name>/res101.mat`` and the class lists of the split. Every index
    is converted from MATLAB's 1-based convention to 0-based positions in
    ``data``, and validation folds are built from ``trainclassesK.txt`` /
    ``valclassesK.txt``, never from the leaky ``val_loc``.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    root : str or os.PathLike, default=None
        Folder holding one sub-folder per dataset (``root/CUB/att_splits.mat``);
        the layouts ``root/data/CUB``, ``root/xlsa17/CUB`` and
        ``root/xlsa17/data/CUB`` of the original archive are found too.
        ``None`` reads the ``XLSA17_ROOT`` environment variable.
    name : {"AWA1", "AWA2", "CUB", "SUN", "APY"} or str
        The dataset (case-insensitive); any other folder in the same format is
        accepted.
    features : str, os.PathLike or None, default="res101"
        The image features, a ``.mat`` file with ``features`` and ``labels``:
        a file name in the dataset folder (``"res101"`` or ``"res101.mat"``
        reads ``<root>/<name>/res101.mat``), a path (an ``os.PathLike`` or a
        string with a directory part), or ``None`` to load the semantics and
        the split only (``data`` is then ``None``).
    semantics : {"att", "original_att"}, default="att"
        ``"att"``: the attributes as shipped, L2-normalised per class.
        ``"original_att"``: the un-normalised attributes (percentages or
        frequencies); AWA1/AWA2's missing entries are imputed, see Notes.
    extra_semantics : dict of str to path or ClassSemantics, default=None
        Further modalities, e.g. ``{"sentences": "extras/CUB_sent_splits.mat"}``
        or a :class:`~sklearn_zsl.ClassSemantics` from
        :func:`load_class_semantics`. They are aligned to the dataset's classes
        by name; a missing or unexpected class is an error.
    metadata_dir : str or os.PathLike, default=None
        The folder of the original dataset release, for what xlsa17 lacks:
        attribute names (CUB-200-2011's ``attributes.txt``, AwA's
        ``predicates.txt``) and, for CUB (``classes.txt`` and
        ``image_class_labels.txt``) and AWA2 (``image_label_PS.txt`` and
        ``test_seen_PS.txt``), the class of every image, so that ``target``,
        ``validation_folds`` and exact ``class_counts`` are known even with
        ``features=None``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_samples, n_features), dtype float32, or None
            The image features.
        target : ndarray of shape (n_samples,) of str, or None
            The class name of each sample.
        target_names : ndarray of shape (n_classes,) of str
            All class names, in the file's order.
        class_semantics : ClassSemantics
            One row per class of ``target_names``: the modality
            ``"attributes"`` and any ``extra_semantics``.
        seen_classes, unseen_classes : ndarray of str
            The sorted seen (trainval) and unseen (test) classes.
        trainval_indices, test_seen_indices, test_unseen_indices : ndarray of int
            0-based positions in ``data`` of the three parts of the split.
        validation_folds : list of (ndarray, ndarray) or None
            ``(train_indices, val_indices)`` per fold, 0-based positions in
            ``data`` within ``trainval_indices``, class-disjoint; ``[]`` without
            fold files and ``None`` when ``target`` is unknown.
        validation_class_folds : list of (ndarray, ndarray)
            The classes ``(train_classes, val_classes)`` of each fold.
        class_counts : dict of str to int
            Number of images per class.
        class_counts_source : str
            Where ``class_counts`` come from; ``"uniform estimate from the
            split sizes"`` when no per-image label is known.
        semantic_names : ndarray of str or None
            Attribute names, when ``metadata_dir`` gives them.
        feature_names : None
            The ResNet-101 features have no names.
        image_files : ndarray of str or None
            Image paths stored in the features file, if any.
        synthetic_features : bool
            Always False here; True in the Bunch of the generators.
        name : str
            The dataset name.
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True
        Needs ``features``.

    Raises
    ------
    FileNotFoundError
        If the dataset folder, ``att_splits.mat`` or the features file is
        missing.
    ValueError
        If a file is corrupt or incomplete (the message names the file and the
        key), or if files of the dataset disagree with one another.

    See Also
    --------
    load_class_semantics : Load an extra modality of class semantics.
    make_zsl_from_xlsa17 : Real semantics and split, synthetic features.

    Notes
    -----
    ``val_loc`` and ``train_loc`` are never used: in AWA1, AWA2 and SUN they
    also cover the ``test_seen`` images (in AWA2, ``val_loc`` is every image of
    the first fold's validation classes, test-seen ones included), so
    validating on them leaks generalised-ZSL test images. CUB's file has
    neither.

    In AWA1 and AWA2, ``original_att`` marks four unknown entries (class
    antelope, attributes 1 to 4) with -1. With ``semantics="original_att"``
    they are replaced, with a warning, by the mean of that attribute over the
    other classes. ``att`` was normalised from the values with -1 and is
    returned as shipped.

    References
    ----------
    Y. Xian, C. H. Lampert, B. Schiele and Z. Akata, "Zero-Shot Learning - A
    Comprehensive Evaluation of the Good, the Bad and the Ugly", IEEE TPAMI,
    2018. https://arxiv.org/abs/1707.00600

    Examples
    --------
    >>> from sklearn_zsl.datasets import load_xlsa17
    >>> cub = load_xlsa17("data/xlsa17", "CUB")  # doctest: +SKIP
    >>> cub.class_semantics  # doctest: +SKIP
    ClassSemantics(n_classes=200, modalities={'attributes': 312})
    >>> X_train = cub.data[cub.trainval_indices]  # doctest: +SKIP
    """
    if return_X_y and features is None:
        raise ValueError(
            "return_X_y=True needs the image features; pass features= "
            "(e.g. 'res101') instead of None."
        )
    folder, name = _dataset_folder(root, name)
    att_path = os.path.join(folder, "att_splits.mat")
    content = read_mat(att_path, what="The split file")
    class_names = as_strings(
        get_entry(content, "allclasses_names", att_path),
        path=att_path,
        key="allclasses_names",
    )
    _check_allclasses_txt(folder, class_names)
    attributes = _read_attributes(content, semantics, class_names, att_path)

    data = target = image_files = None
    if features is not None:
        features_path = _features_path(folder, features)
        data, target, image_files = _read_features(features_path, class_names)
    splits = _read_splits(content, att_path, None if data is None else len(data))

    meta = read_metadata(metadata_dir, name, class_names, attributes.shape[1])
    if meta.target is not None:
        target = _merge_targets(target, meta.target, splits, metadata_dir)
    seen, unseen = seen_unseen_classes(folder, class_names, target, splits)
    if target is not None:
        check_split_labels(target, splits, seen, unseen, source="The image labels")
    class_folds = read_class_folds(folder, class_names, seen)

    class_semantics = combine_semantics(
        ClassSemantics(class_names, {"attributes": attributes}),
        extra_semantics,
        class_names,
    )
    if return_X_y:
        return data, target
    if target is None:
        counts = uniform_class_counts(class_names, seen, unseen, splits)
        counts_source = "uniform estimate from the split sizes"
    else:
        found = dict(zip(*np.unique(target, return_counts=True), strict=True))
        counts = {c: int(found.get(c, 0)) for c in class_names.tolist()}
        counts_source = "per-image labels"
    return Bunch(
        data=data,
        target=target,
        target_names=class_names,
        class_semantics=class_semantics,
        seen_classes=seen,
        unseen_classes=unseen,
        trainval_indices=splits[0],
        test_seen_indices=splits[1],
        test_unseen_indices=splits[2],
        validation_folds=index_folds(class_folds, target, splits[0]),
        validation_class_folds=class_folds,
        class_counts=counts,
        class_counts_source=counts_source,
        semantic_names=meta.semantic_names,
        feature_names=None,
        image_files=image_files,
        synthetic_features=False,
        name=name,
        DESCR=_describe(name, class_semantics, seen, unseen, splits, data, semantics),
    )


def _dataset_folder(root, name) -> tuple[str, str]:
    """Find ``<root>/<layout>/<name>``, matching the name case-insensitively."""
    if root is None:
        root = os.environ.get("XLSA17_ROOT")
        if not root:
            raise ValueError(
                "No root given and the XLSA17_ROOT environment variable is not "
                "set; pass root= (the folder holding AWA1/, CUB/, ...) or set "
                "XLSA17_ROOT."
            )
    if not isinstance(name, str) or not name:
        raise ValueError(
            f"name must be the dataset's folder name, one of "
            f"{sorted(XLSA17_DATASETS)}; got {name!r}."
        )
    root = os.fspath(root)
    tried = []
    for layout in _LAYOUTS:
        parent = os.path.join(root, layout)
        if not os.path.isdir(parent):
            continue
        for entry in sorted(os.listdir(parent)):
            path = os.path.join(parent, entry)
            if entry.lower() == name.lower() and os.path.isdir(path):
                return path, entry
        tried.append(parent)
    raise FileNotFoundError(
        f"No dataset folder {name!r} in {tried or [root]}; root must hold one "
        f"folder per dataset (e.g. {os.path.join(root, 'CUB', 'att_splits.mat')})."
    )


def _check_allclasses_txt(folder: str, class_names: np.ndarray) -> None:
    path = os.path.join(folder, "allclasses.txt")
    if not os.path.isfile(path):  # SUN ships none
        return
    listed = read_class_list(path)
    if not np.array_equal(listed, class_names):
        raise ValueError(
            f"{path!r} ({listed.size} classes, {format_names(listed)}) disagrees "
            f"with allclasses_names of att_splits.mat ({class_names.size} classes, "
            f"{format_names(class_names)}); the two files come from different "
            "releases."
        )


def _read_attributes(content, semantics, class_names, path) -> np.ndarray:
    """The (n_classes, n_attributes) matrix of ``semantics``."""
    if semantics not in ("att", "original_att"):
        raise ValueError(
            f"semantics must be 'att' or 'original_att', got {semantics!r}; use "
            "extra_semantics= for other modalities."
        )
    matrix = np.asarray(get_entry(content, semantics, path), dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != class_names.size:
        raise ValueError(
            f"{path!r}: {semantics!r} has shape {matrix.shape}, expected "
            f"(n_attributes, {class_names.size}), one column per class."
        )
    matrix = matrix.T.copy()
    missing = matrix == -1
    if semantics == "original_att" and missing.any():
        rows, cols = np.nonzero(missing)
        warnings.warn(
            f"{path!r}: original_att marks {rows.size} unknown entries with -1 "
            f"(classes {format_names(np.unique(class_names[rows]))}, attributes "
            f"{sorted(set((cols + 1).tolist()))}, 1-based); each is replaced by "
            "the mean of its attribute over the classes where it is known.",
            UserWarning,
            stacklevel=3,
        )
        known = np.where(missing, np.nan, matrix)
        matrix[missing] = np.nanmean(known, axis=0)[cols]
    return matrix


def _features_path(folder: str, features) -> str:
    if isinstance(features, os.PathLike):
        return os.fspath(features)
    if not isinstance(features, str):
        raise TypeError(
            f"features must be a file name, a path or None, got "
            f"{type(features).__name__}."
        )
    if os.sep in features or (os.altsep and os.altsep in features):
        return features
    if not features.endswith(".mat"):
        features += ".mat"
    return os.path.join(folder, features)


def _read_features(path: str, class_names: np.ndarray):
    """Read ``features`` and the 1-based ``labels`` of a ``res101.mat``."""
    content = read_mat(path, what="The features file")
    labels = np.asarray(get_entry(content, "labels", path)).ravel()
    if labels.dtype.kind not in "uif" or labels.size == 0:
        raise ValueError(
            f"{path!r}: 'labels' should be a non-empty vector of 1-based class "
            f"indices, got dtype {labels.dtype}."
        )
    if labels.min() < 1 or labels.max() > class_names.size or np.any(labels % 1):
        raise ValueError(
            f"{path!r}: 'labels' must be 1-based indices into the "
            f"{class_names.size} classes of allclasses_names, got values in "
            f"[{labels.min()}, {labels.max()}]."
        )
    matrix = np.asarray(get_entry(content, "features", path))
    if matrix.ndim != 2 or matrix.dtype.kind not in "uif":
        raise ValueError(
            f"{path!r}: 'features' should be a 2-D numeric matrix, got dtype "
            f"{matrix.dtype} and shape {matrix.shape}."
        )
    # xlsa17 stores one column per image; accept one row per image too.
    if matrix.shape[1] == labels.size:
        matrix = matrix.T
    elif matrix.shape[0] != labels.size:
        raise ValueError(
            f"{path!r}: 'features' has shape {matrix.shape} but there are "
            f"{labels.size} labels; one axis must have one entry per image."
        )
    target = class_names[labels.astype(np.int64) - 1]
    image_files = None
    if "image_files" in content:
        image_files = as_strings(content["image_files"], path=path, key="image_files")
    return np.ascontiguousarray(matrix, dtype=np.float32), target, image_files


def _read_splits(content, path, n_samples) -> list:
    """The 0-based trainval, test-seen and test-unseen positions, checked."""
    splits = [
        as_indices(
            get_entry(content, key, path), path=path, key=key, n_samples=n_samples
        )
        for key in _SPLIT_KEYS
    ]
    _check_disjoint(splits, path)
    return splits


def _check_disjoint(splits, path) -> None:
    for i in range(3):
        for j in range(i + 1, 3):
            shared = np.intersect1d(splits[i], splits[j])
            if shared.size:
                raise ValueError(
                    f"{path!r}: {_SPLIT_KEYS[i]} and {_SPLIT_KEYS[j]} share "
                    f"{shared.size} images; the split file is corrupt."
                )


def _merge_targets(target, meta_target, splits, metadata_dir):
    n_needed = max(int(s.max()) for s in splits) + 1
    if meta_target.size < n_needed:
        raise ValueError(
            f"The image lists of metadata_dir={os.fspath(metadata_dir)!r} hold "
            f"{meta_target.size} images but the split refers to image {n_needed}; "
            "they belong to another dataset."
        )
    if target is not None and not np.array_equal(target, meta_target):
        raise ValueError(
            f"The labels of the features file disagree with the image lists of "
            f"metadata_dir={os.fspath(metadata_dir)!r}; drop metadata_dir or use "
            "the matching features."
        )
    return meta_target


def _describe(name, class_semantics, seen, unseen, splits, data, semantics) -> str:
    title = XLSA17_DATASETS.get(name.upper(), (name,))[0]
    if data is None:
        features = "no image features loaded (semantics and split only)"
    else:
        features = f"{data.shape[1]} image features per sample (real, from file)"
    modalities = ", ".join(f"{k} ({v})" for k, v in class_semantics.dims.items())
    return (
        f"xlsa17 {name}: {title}\n"
        f"{'=' * (9 + len(name) + len(title))}\n\n"
        "Proposed split of Xian, Lampert, Schiele and Akata, 'Zero-Shot Learning - "
        "A Comprehensive Evaluation of the Good, the Bad and the Ugly' (TPAMI "
        "2018).\n\n"
        f"- classes: {class_semantics.n_classes} ({seen.size} seen, "
        f"{unseen.size} unseen)\n"
        f"- images: {splits[0].size} trainval, {splits[1].size} test seen, "
        f"{splits[2].size} test unseen\n"
        f"- features: {features}\n"
        f"- class semantics: {modalities}; attributes from {semantics!r}\n"
        "- indices are 0-based; validation folds come from trainclassesK.txt / "
        "valclassesK.txt (val_loc, which leaks test-seen images, is ignored)\n"
    )
