"""Class labels: the one check every estimator, metric, scorer and splitter uses.

Labels may be numbers (integers and floats alike), strings, bytes or booleans,
but all of one of these types: numpy would otherwise convert them silently
(``np.asarray([0, "a"])`` turns the integer into the string ``"0"``), or fail
deep inside a sort. Two sets of labels that are compared (``y_true`` and
``y_pred``, ``y`` and the labels of the class semantics, ``candidates`` and
``classes_``) must be of the same type too: an integer never equals a string,
so a mismatch would silently count as "no match" everywhere.

A boolean array given where labels of another type are expected (a mask over
the classes, say) is such a mismatch, and raises with a hint to select the
labels with the mask first (``clf.classes_[mask]``): a mask is never read as
the labels ``{False, True}``, nor as labels ``0`` and ``1``.

Unordered containers (``set``, ``frozenset``, dict views) are rejected: their
iteration order is arbitrary (for strings it changes with
``PYTHONHASHSEED``), so pairing their labels with rows of a matrix, or with
columns of scores, would silently depend on it.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Mapping, Set, ValuesView
from numbers import Complex, Real

import numpy as np

__all__ = [
    "LabelTypeError",
    "check_label_types_match",
    "check_labels",
    "format_labels",
    "label_kind",
]

#: plural names of the label types, as messages name them
_KIND_NAMES = {
    "str": "strings",
    "number": "numbers",
    "bytes": "bytes",
    "bool": "booleans",
    "none": "None",
}
_ALLOWED_KINDS = ("number", "str", "bytes", "bool")
_DTYPE_KINDS = {"b": "bool", "i": "number", "u": "number", "f": "number"}
_DTYPE_KINDS.update({"U": "str", "S": "bytes"})


class LabelTypeError(TypeError, ValueError):
    """Labels of mixed types, or of another type than the labels they meet.

    Both a ``TypeError`` (the labels are of the wrong type) and a
    ``ValueError`` (the values given are wrong), like scikit-learn's
    ``InvalidParameterError``, so that either ``except`` clause catches it.
    """


def _as_python(label):
    return label.item() if isinstance(label, np.generic) else label


def format_labels(labels, limit=10):
    """Return up to ``limit`` labels as a readable list, e.g. ``[0, 'a']``."""
    labels = list(labels)
    shown = ", ".join(repr(_as_python(label)) for label in labels[:limit])
    if len(labels) > limit:
        shown += f", ... ({len(labels) - limit} more)"
    return f"[{shown}]"


def _value_kind(value):
    if value is None:
        return "none"
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, Real | np.integer | np.floating):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, Complex):
        return "complex"
    return type(value).__name__


def _kinds(values):
    """The label types of the flat object array ``values``, with an example each."""
    kinds = {}
    for value in values.tolist():
        kinds.setdefault(_value_kind(value), value)
    return kinds


def _order(kind):
    return list(_KIND_NAMES).index(kind) if kind in _KIND_NAMES else len(_KIND_NAMES)


def _describe(kind):
    return _KIND_NAMES.get(kind, f"{kind} objects")


def check_labels(labels, *, name):
    """Return ``labels`` as an array after checking their container and type.

    Parameters
    ----------
    labels : array-like
        Labels in an ordered container (list, tuple, array, pandas object).
    name : str
        How messages name the argument, e.g. ``"y_true"``.

    Returns
    -------
    labels : ndarray
        The labels, all numbers, all strings, all bytes or all booleans. Their
        shape is not checked.

    Raises
    ------
    TypeError
        If ``labels`` is an unordered container, or its labels are neither
        numbers, strings, bytes nor booleans (``None``, say).
    LabelTypeError
        If the labels mix types, e.g. integers and strings.
    ValueError
        If numeric labels are NaN or infinite.
    """
    if isinstance(labels, Set | Mapping | ValuesView):
        raise TypeError(
            f"{name} is a {type(labels).__name__}, not an ordered sequence (the "
            "order of a set is arbitrary: for strings it changes with "
            "PYTHONHASHSEED); pass the labels in a list or an array, e.g. "
            "sorted(labels)."
        )
    if isinstance(labels, np.ndarray):
        values = labels
    elif hasattr(labels, "to_numpy"):  # pandas
        values = labels.to_numpy()
    else:
        try:
            values = np.asarray(labels, dtype=object)
        except ValueError:
            raise ValueError(
                f"{name} must be a flat sequence of labels, one per entry; its "
                "entries have different lengths."
            ) from None
    if values.dtype == object:
        kinds = _kinds(values.ravel())
        if len(kinds) > 1:
            examples = format_labels(kinds.values())
            names = " and ".join(_describe(k) for k in sorted(kinds, key=_order))
            raise LabelTypeError(
                f"{name}: class labels mix {names} ({examples}); use one label "
                "type, as in y (e.g. convert them all to str)."
            )
        kind = next(iter(kinds), "number")
        if kind not in _ALLOWED_KINDS:
            raise TypeError(
                f"{name} must be numbers or strings, got {_describe(kind)} "
                f"({format_labels(kinds.values())})."
            )
        if kind != "str" or not (
            isinstance(labels, np.ndarray) or hasattr(labels, "to_numpy")
        ):
            # labels of one type as numpy reads them (ints and floats give
            # floats): scikit-learn takes an object array of numbers for a
            # continuous target. Object arrays of strings are kept as they
            # are (numpy would strip trailing NULs).
            values = np.asarray(values.tolist())
    kind = _DTYPE_KINDS.get(values.dtype.kind)
    if kind is None and values.dtype != object:
        raise TypeError(
            f"{name} must be numbers or strings, got an array of dtype {values.dtype}."
        )
    if values.dtype.kind == "f" and not np.all(np.isfinite(values)):
        raise ValueError(
            f"{name} contains NaN or infinite labels; drop those samples first."
        )
    return values


def label_kind(labels):
    """Type of validated labels: "number", "str", "bytes", "bool" or None if empty.

    Parameters
    ----------
    labels : ndarray
        Labels returned by :func:`check_labels`.

    Returns
    -------
    kind : str or None
        The type of the labels, ``None`` when there are none.
    """
    kind = _DTYPE_KINDS.get(labels.dtype.kind)
    if kind is None and labels.size:
        kind = _value_kind(labels.flat[0])
    return kind if labels.size else None


def check_label_types_match(labels, reference, *, name, reference_name, fix=None):
    """Raise if two sets of validated labels are of different types.

    Parameters
    ----------
    labels, reference : ndarray
        Labels returned by :func:`check_labels`.
    name, reference_name : str
        How messages name them, e.g. ``"y_pred"`` and ``"y_true"``.
    fix : str, default=None
        The advice ending the message; ``None`` says to use the labels of
        ``reference``.

    Raises
    ------
    LabelTypeError
        If one holds numbers and the other strings, say. A boolean mask among
        labels of another type gets a hint to select them with it.
    """
    kind, reference_kind = label_kind(labels), label_kind(reference)
    if kind is None or reference_kind is None or kind == reference_kind:
        return
    if fix is None:
        fix = f"use the labels of {reference_name}"
    hint = ""
    if kind == "bool":
        hint = (
            " A boolean mask is not read as labels: select the labels with it "
            "first, e.g. clf.classes_[mask]."
        )
    raise LabelTypeError(
        f"The labels of {name} ({format_labels(np.unique(labels), 5)}) and of "
        f"{reference_name} ({format_labels(np.unique(reference), 5)}) are of "
        f"different types; {fix} ({name}: {_describe(kind)}, {reference_name}: "
        f"{_describe(reference_kind)}).{hint}"
    )
