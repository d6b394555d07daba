"""Loading class semantics from ``.mat`` files, aligned by class name."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import numpy as np

from sklearn_zsl.datasets._matfile import (
    as_strings,
    format_names,
    get_entry,
    read_class_list,
    read_mat,
)
from sklearn_zsl.semantics import ClassSemantics

__all__ = ["load_class_semantics"]

#: Keys whose matrices follow the xlsa17 layout (dimensions x classes).
_COLUMN_PER_CLASS_KEYS = ("att", "original_att", "wv")
#: Keys tried, in order, when ``key=None``.
_DEFAULT_KEYS = ("PredicateMatrix", "wv", "att")


def load_class_semantics(
    path: str | os.PathLike,
    *,
    key: str | None = None,
    class_names: Sequence[str] | str | os.PathLike | None = None,
    name: str | None = None,
) -> ClassSemantics:
    """Load one modality of class semantics from a ``.mat`` file.

    The class of every row is read from the file's ``allclasses_names``
    (xlsa17 layout) or, for files without names such as the CUB Wikipedia
    TF-IDF matrix, taken from ``class_names``. The result can be passed to
    :func:`load_xlsa17` through ``extra_semantics``, which aligns it to the
    dataset's classes by name.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.mat`` file, e.g. ``extras/CUB_sent_splits.mat`` (sentence
        embeddings, key ``att``), ``extras/AWA1_att_splits_with_wv_SG-ZSL.mat``
        (word vectors, key ``wv``) or
        ``extras/CUB_wikipedia_TFIDF_HUMAN_ZEST.mat`` (key ``PredicateMatrix``).
    key : str, default=None
        The variable holding the matrix. ``None`` takes the first of
        ``"PredicateMatrix"``, ``"wv"`` and ``"att"`` present in the file.
    class_names : array-like of str, str or os.PathLike, default=None
        Class names of the rows, in the order of the matrix, or the path of a
        text file listing them one per line (``"<id> <name>"`` lines, as in
        CUB-200-2011's ``classes.txt``, are accepted). Required when the file
        has no ``allclasses_names``; when it has, the two must agree.
    name : str, default=None
        Name of the modality; ``None`` uses ``key``.

    Returns
    -------
    class_semantics : ClassSemantics
        One modality, one row per class, classes in the file's order.

    Raises
    ------
    FileNotFoundError
        If ``path`` (or a ``class_names`` file) does not exist.
    ValueError
        If the file is corrupt, lacks ``key``, or the matrix and the class
        names disagree in size or order.

    See Also
    --------
    load_xlsa17 : Load an xlsa17 dataset, optionally with extra modalities.

    Notes
    -----
    The matrices of the keys ``att``, ``original_att`` and ``wv`` follow the
    xlsa17 convention, one *column* per class; any other key is read as one
    *row* per class. A matrix whose orientation contradicts its key but fits
    the number of classes the other way round is transposed.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.io import savemat
    >>> from sklearn_zsl.datasets import load_class_semantics
    >>> path = getfixture("tmp_path") / "word_vectors.mat"
    >>> names = np.array(["cat", "dog", "zebra"], dtype=object).reshape(-1, 1)
    >>> savemat(path, {"wv": np.ones((4, 3)), "allclasses_names": names})
    >>> load_class_semantics(path, name="word2vec")
    ClassSemantics(n_classes=3, modalities={'word2vec': 4})
    """
    content = read_mat(path, what="The class-semantics file")
    key = _choose_key(content, key, path)
    matrix = np.asarray(get_entry(content, key, path))
    if matrix.ndim != 2 or matrix.dtype.kind not in "uif":
        raise ValueError(
            f"{os.fspath(path)!r}: {key!r} should be a 2-D numeric matrix, got "
            f"dtype {matrix.dtype} and shape {matrix.shape}."
        )
    names = _class_names(content, class_names, path)
    matrix = _orient(matrix, names.size, key=key, path=path)
    return ClassSemantics(names, {name or key: matrix})


def _choose_key(content: dict, key: str | None, path) -> str:
    if key is not None:
        return key
    for candidate in _DEFAULT_KEYS:
        if candidate in content:
            return candidate
    raise ValueError(
        f"{os.fspath(path)!r} holds none of {list(_DEFAULT_KEYS)} (it holds "
        f"{sorted(content)}); pass key= to name the matrix of class semantics."
    )


def _class_names(content: dict, class_names, path) -> np.ndarray:
    if isinstance(class_names, (str, os.PathLike)):
        class_names = read_class_list(class_names)
    if "allclasses_names" in content:
        names = as_strings(
            content["allclasses_names"], path=path, key="allclasses_names"
        )
        if class_names is not None and not np.array_equal(
            names, np.asarray(class_names, dtype=str)
        ):
            raise ValueError(
                f"class_names disagree with the allclasses_names of "
                f"{os.fspath(path)!r} ({format_names(names)}); leave class_names "
                "out to use the file's names."
            )
        return names
    if class_names is None:
        raise ValueError(
            f"{os.fspath(path)!r} has no 'allclasses_names'; pass class_names= "
            "(a list, or a text file such as CUB-200-2011's classes.txt) giving "
            "the class of each row in the file's order."
        )
    return np.asarray(class_names, dtype=str)


def _orient(matrix: np.ndarray, n_classes: int, *, key: str, path) -> np.ndarray:
    """Return ``matrix`` as (n_classes, n_dims)."""
    per_column = key in _COLUMN_PER_CLASS_KEYS
    if matrix.shape[1 if per_column else 0] == n_classes:
        return matrix.T if per_column else matrix
    if matrix.shape[0 if per_column else 1] == n_classes:
        return matrix if per_column else matrix.T
    raise ValueError(
        f"{os.fspath(path)!r}: {key!r} has shape {matrix.shape} but there are "
        f"{n_classes} class names; one of its axes must have one entry per class."
    )


def align_semantics(
    semantics: ClassSemantics, class_names: np.ndarray, *, source: str
) -> ClassSemantics:
    """Reorder ``semantics`` to ``class_names``; any mismatch is an error."""
    labels = np.asarray(semantics.labels).astype(str)
    missing = np.setdiff1d(class_names, labels)
    unexpected = np.setdiff1d(labels, class_names)
    if missing.size or unexpected.size:
        raise ValueError(
            f"The classes of {source} do not match the dataset's: missing "
            f"{format_names(missing)}, unexpected {format_names(unexpected)}. "
            "Class semantics are aligned by class name; check that they describe "
            "the same dataset (and the class_names given)."
        )
    semantics = ClassSemantics(labels, semantics.modalities)
    return semantics.select(class_names)


def combine_semantics(
    primary: ClassSemantics, extra: Mapping | None, class_names: np.ndarray
) -> ClassSemantics:
    """Add the ``extra`` modalities, aligned by name, to ``primary``."""
    if extra is None:
        return primary
    if not isinstance(extra, Mapping):
        raise TypeError(
            "extra_semantics must be a dict {modality name: path or "
            f"ClassSemantics}}, got {type(extra).__name__}."
        )
    modalities = dict(primary.modalities)
    for key, value in extra.items():
        if isinstance(value, (str, os.PathLike)):
            value = load_class_semantics(value, name=key)
        if not isinstance(value, ClassSemantics):
            raise TypeError(
                f"extra_semantics[{key!r}] must be a path or a ClassSemantics "
                f"(see load_class_semantics), got {type(value).__name__}."
            )
        value = align_semantics(value, class_names, source=f"extra_semantics[{key!r}]")
        for sub_name, matrix in value.modalities.items():
            full_name = key if len(value.modalities) == 1 else f"{key}_{sub_name}"
            if full_name in modalities:
                raise ValueError(
                    f"Two modalities are named {full_name!r}; give each extra "
                    "modality another name."
                )
            modalities[full_name] = matrix
    return ClassSemantics(primary.labels, modalities)
