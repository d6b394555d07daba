"""Class semantics: one or more named modality matrices indexed by class label."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sklearn_zsl.utils._labels import check_label_types_match, check_labels
from sklearn_zsl.utils._labels import format_labels as _format_labels

__all__ = ["ClassSemantics", "check_class_semantics"]

NORMALIZATIONS = ("none", "l2", "standard", "minmax")


def _check_labels(labels, *, context):
    """Return ``labels`` as a 1-D array of one type, checking they are unique."""
    if isinstance(labels, str | bytes) or not hasattr(labels, "__len__"):
        raise TypeError(
            f"{context}: class labels must be a 1-D sequence, got "
            f"{type(labels).__name__}."
        )
    labels = check_labels(labels, name=context)
    if labels.dtype == object:
        # as numpy reads a list of them: strings become a fixed-width array
        labels = np.asarray(labels.tolist())
    if labels.size == 0:
        raise ValueError(f"{context}: no class given; pass at least one class.")
    if labels.ndim != 1:
        raise ValueError(
            f"{context}: class labels must be 1-D, got shape {labels.shape}."
        )
    uniques, counts = np.unique(labels, return_counts=True)
    duplicated = uniques[counts > 1]
    if duplicated.size:
        raise ValueError(
            f"{context}: duplicate class labels {_format_labels(duplicated)}; "
            "each class must appear exactly once."
        )
    return labels


def _check_matrix(matrix, n_classes, *, name):
    """Return a finite float64 (n_classes, n_dims) matrix."""
    if isinstance(matrix, (str, bytes)) or isinstance(matrix, Mapping):
        raise TypeError(
            f"Modality {name!r} must be a 2-D numeric array, got "
            f"{type(matrix).__name__}."
        )
    try:
        values = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"Modality {name!r} must hold one numeric vector of the same length per "
            f"class; converting it to a float array failed: {exc}"
        ) from None
    if values.ndim == 1 and n_classes == values.shape[0]:
        values = values.reshape(-1, 1)
    if values.ndim != 2:
        raise ValueError(
            f"Modality {name!r} must be 2-D (n_classes, n_dims), got shape "
            f"{values.shape}."
        )
    if values.shape[0] != n_classes:
        raise ValueError(
            f"Modality {name!r} has {values.shape[0]} rows but there are {n_classes} "
            "class labels; give one row per class."
        )
    if values.shape[1] == 0:
        raise ValueError(f"Modality {name!r} has no dimension; give at least one.")
    if not np.all(np.isfinite(values)):
        bad = np.unique(np.nonzero(~np.isfinite(values))[0])
        raise ValueError(
            f"Modality {name!r} contains NaN or infinite values (rows {bad[:10]}); "
            "impute or drop those entries first."
        )
    return values


def _normalize_matrix(values, method, *, name):
    if method in (None, "none"):
        return values
    if method == "l2":
        norms = np.linalg.norm(values, axis=1, keepdims=True)
        if np.any(norms == 0):
            raise ValueError(
                f"Modality {name!r} has an all-zero class vector: it cannot be "
                "l2-normalised; use normalize='none' or 'minmax'."
            )
        return values / norms
    if method == "standard":
        std = values.std(axis=0)
        return (values - values.mean(axis=0)) / np.where(std > 0, std, 1.0)
    if method == "minmax":
        lo, hi = values.min(axis=0), values.max(axis=0)
        span = hi - lo
        return (values - lo) / np.where(span > 0, span, 1.0)
    raise ValueError(
        f"Unknown normalisation {method!r} for modality {name!r}; choose one of "
        f"{NORMALIZATIONS}."
    )


class ClassSemantics:
    """Side information of every class: one or more named modality matrices.

    A ``ClassSemantics`` stores one vector per class (seen *and* unseen) for each
    of its modalities, e.g. attributes and sentence embeddings of the same
    classes. It is the form every estimator of :mod:`sklearn_zsl` converts its
    ``class_semantics`` into, and the safest form to pass through
    :class:`~sklearn.model_selection.GridSearchCV` or
    :func:`~sklearn.model_selection.cross_validate`: it deliberately has no
    ``__len__``, ``shape`` or ``__array__``, so scikit-learn never mistakes it
    for a per-sample array and slices it (scikit-learn issues #15805, #30739).

    Read more in the :ref:`User Guide <class_semantics>`.

    Parameters
    ----------
    labels : array-like of shape (n_classes,)
        Class labels, unique, all strings or all numbers (as in ``y``).
    modalities : array-like of shape (n_classes, n_dims) or dict of str to array-like
        One matrix, or a mapping from modality name to a matrix, with one row
        per label in the order of ``labels``.
    normalize : {"none", "l2", "standard", "minmax"} or dict, default="none"
        Normalisation applied to each modality: ``"l2"`` scales each class
        vector to unit norm, ``"standard"`` and ``"minmax"`` scale each
        dimension over the classes. A dict maps modality names to methods
        (missing names are left as they are).

    Attributes
    ----------
    labels : ndarray of shape (n_classes,)
        The class labels.
    modalities : dict of str to ndarray of shape (n_classes, n_dims)
        The validated float64 matrices, rows in the order of ``labels``.

    See Also
    --------
    check_class_semantics : Convert a DataFrame, a mapping or a
        ``ClassSemantics`` into a validated ``ClassSemantics``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl import ClassSemantics
    >>> semantics = ClassSemantics(
    ...     ["cat", "dog", "zebra"],
    ...     {"attributes": np.eye(3), "word2vec": np.ones((3, 2))},
    ... )
    >>> semantics
    ClassSemantics(n_classes=3, modalities={'attributes': 3, 'word2vec': 2})
    >>> semantics.select(["zebra", "cat"]).to_numpy()
    array([[0., 0., 1., 1., 1.],
           [1., 0., 0., 1., 1.]])
    """

    def __init__(self, labels, modalities, *, normalize="none"):
        labels = _check_labels(labels, context="ClassSemantics")
        if not isinstance(modalities, Mapping):
            modalities = {"semantics": modalities}
        if not modalities:
            raise ValueError("ClassSemantics needs at least one modality.")
        checked = {}
        for name, matrix in modalities.items():
            if not isinstance(name, str):
                raise TypeError(
                    f"Modality names must be strings, got {name!r}; name each "
                    "modality, e.g. {'attributes': A}."
                )
            if isinstance(matrix, pd.DataFrame):
                matrix = self._align_frame(matrix, labels, name)
            checked[name] = _check_matrix(matrix, labels.shape[0], name=name)
        methods = self._check_normalize(normalize, checked)
        self.labels = labels
        self.modalities = {
            name: _normalize_matrix(values, methods.get(name), name=name)
            for name, values in checked.items()
        }

    @staticmethod
    def _align_frame(frame, labels, name):
        index = _check_labels(frame.index, context=f"Modality {name!r}")
        missing = np.setdiff1d(labels, index) if index.size else labels
        extra = np.setdiff1d(index, labels)
        if missing.size or extra.size:
            raise ValueError(
                f"Modality {name!r} is indexed by other classes than the labels: "
                f"missing {_format_labels(missing)}, unexpected "
                f"{_format_labels(extra)}. Every modality must describe the same "
                "classes."
            )
        return frame.loc[labels].to_numpy()

    @staticmethod
    def _check_normalize(normalize, modalities):
        if normalize is None or isinstance(normalize, str):
            return dict.fromkeys(modalities, normalize)
        if isinstance(normalize, Mapping):
            unknown = set(normalize) - set(modalities)
            if unknown:
                raise ValueError(
                    f"normalize names unknown modalities {sorted(unknown)}; the "
                    f"modalities are {list(modalities)}."
                )
            return dict(normalize)
        raise TypeError(
            "normalize must be a string among "
            f"{NORMALIZATIONS} or a dict of them, got {type(normalize).__name__}."
        )

    # -- alternative constructors -------------------------------------------------
    @classmethod
    def from_dataframe(cls, frame, *, name="semantics", normalize="none"):
        """Build from a DataFrame indexed by class label (one column per dimension).

        Parameters
        ----------
        frame : pandas.DataFrame of shape (n_classes, n_dims)
            The class vectors, indexed by class label.
        name : str, default="semantics"
            Name of the modality.
        normalize : {"none", "l2", "standard", "minmax"}, default="none"
            Normalisation of the modality, see :class:`ClassSemantics`.

        Returns
        -------
        semantics : ClassSemantics
            The validated semantics.

        Examples
        --------
        >>> import pandas as pd
        >>> from sklearn_zsl import ClassSemantics
        >>> frame = pd.DataFrame({"striped": [0, 1], "black": [1, 1]},
        ...                      index=["horse", "zebra"])
        >>> ClassSemantics.from_dataframe(frame, name="attributes")
        ClassSemantics(n_classes=2, modalities={'attributes': 2})
        """
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(
                "from_dataframe expects a pandas.DataFrame, got "
                f"{type(frame).__name__}."
            )
        labels = _check_labels(frame.index, context="DataFrame index")
        return cls(labels, {name: frame.to_numpy()}, normalize=normalize)

    @classmethod
    def from_mapping(cls, mapping, *, name="semantics", normalize="none"):
        """Build from a mapping ``{label: vector}``.

        Parameters
        ----------
        mapping : dict
            One vector (all of the same length) per class label.
        name : str, default="semantics"
            Name of the modality.
        normalize : {"none", "l2", "standard", "minmax"}, default="none"
            Normalisation of the modality, see :class:`ClassSemantics`.

        Returns
        -------
        semantics : ClassSemantics
            The validated semantics.

        Examples
        --------
        >>> from sklearn_zsl import ClassSemantics
        >>> ClassSemantics.from_mapping({0: [1.0, 0.0], 1: [0.0, 1.0]})
        ClassSemantics(n_classes=2, modalities={'semantics': 2})
        """
        if not isinstance(mapping, Mapping):
            raise TypeError(
                f"from_mapping expects a dict {{label: vector}}, got "
                f"{type(mapping).__name__}."
            )
        if not mapping:
            raise ValueError("The class-semantics mapping is empty.")
        labels = _check_labels(list(mapping), context="Mapping keys")
        lengths = {}
        for label, vector in mapping.items():
            if np.ndim(vector) != 1:
                raise ValueError(
                    f"The vector of class {label!r} must be 1-D, got "
                    f"{np.ndim(vector)} dimension(s)."
                )
            lengths.setdefault(len(vector), []).append(label)
        if len(lengths) > 1:
            detail = "; ".join(
                f"length {n}: {_format_labels(v, 3)}" for n, v in lengths.items()
            )
            raise ValueError(
                f"Class vectors of different lengths ({detail}); every class "
                "needs a vector of the same dimension."
            )
        matrix = np.vstack([np.asarray(v, dtype=object) for v in mapping.values()])
        return cls(labels, {name: matrix}, normalize=normalize)

    # -- accessors ----------------------------------------------------------------
    @property
    def n_classes(self):
        """Number of classes."""
        return self.labels.shape[0]

    @property
    def names(self):
        """Names of the modalities, in order."""
        return tuple(self.modalities)

    @property
    def dims(self):
        """Dimension of each modality, as a dict."""
        return {name: m.shape[1] for name, m in self.modalities.items()}

    @property
    def n_dims(self):
        """Total dimension over all modalities."""
        return sum(self.dims.values())

    def to_numpy(self, modality=None):
        """Return one modality, or all modalities concatenated, as a matrix.

        Parameters
        ----------
        modality : str, default=None
            Name of the modality; ``None`` concatenates all of them.

        Returns
        -------
        matrix : ndarray of shape (n_classes, n_dims)
            Rows in the order of :attr:`labels`.
        """
        if modality is None:
            return np.hstack(list(self.modalities.values()))
        if modality not in self.modalities:
            raise KeyError(
                f"Unknown modality {modality!r}; available: {list(self.modalities)}."
            )
        return self.modalities[modality]

    def to_frame(self, modality=None):
        """Return one modality (or all concatenated) as a DataFrame indexed by label.

        Parameters
        ----------
        modality : str, default=None
            Name of the modality; ``None`` concatenates all of them.

        Returns
        -------
        frame : pandas.DataFrame of shape (n_classes, n_dims)
            Columns ``"<modality>_<k>"``.
        """
        names = self.names if modality is None else (modality,)
        columns = [f"{name}_{k}" for name in names for k in range(self.dims[name])]
        return pd.DataFrame(
            self.to_numpy(modality), index=pd.Index(self.labels), columns=columns
        )

    def select(self, labels):
        """Return the semantics of ``labels``, in that order.

        Parameters
        ----------
        labels : array-like of shape (n_selected,)
            Labels to keep; each must be one of :attr:`labels`.

        Returns
        -------
        semantics : ClassSemantics
            A new object holding only the selected classes.
        """
        labels = _check_labels(labels, context="select")
        missing = np.setdiff1d(labels, self.labels)
        if missing.size:
            raise ValueError(
                f"No semantics for classes {_format_labels(missing)}; known classes "
                f"are {_format_labels(self.labels)}."
            )
        order = np.argsort(self.labels, kind="stable")
        rows = order[np.searchsorted(self.labels, labels, sorter=order)]
        return ClassSemantics(
            labels, {name: m[rows] for name, m in self.modalities.items()}
        )

    def normalize(self, method):
        """Return a copy with every (or each named) modality normalised.

        Parameters
        ----------
        method : {"none", "l2", "standard", "minmax"} or dict
            See the ``normalize`` parameter of :class:`ClassSemantics`.

        Returns
        -------
        semantics : ClassSemantics
            The normalised copy.
        """
        return ClassSemantics(self.labels, self.modalities, normalize=method)

    def __repr__(self):
        return f"ClassSemantics(n_classes={self.n_classes}, modalities={self.dims})"

    def __eq__(self, other):
        if not isinstance(other, ClassSemantics):
            return NotImplemented
        return (
            self.names == other.names
            and np.array_equal(self.labels, other.labels)
            and all(
                np.array_equal(a, b)
                for a, b in zip(
                    self.modalities.values(), other.modalities.values(), strict=True
                )
            )
        )

    __hash__ = None


def check_class_semantics(class_semantics, *, y=None, normalize="none"):
    """Validate class semantics given in any accepted form.

    Parameters
    ----------
    class_semantics : ClassSemantics, pandas.DataFrame or dict
        A :class:`ClassSemantics`; a DataFrame indexed by class label; or a
        mapping ``{label: vector}``.
    y : array-like of shape (n_samples,), default=None
        Training labels; every label of ``y`` must have semantics.
    normalize : {"none", "l2", "standard", "minmax"} or dict, default="none"
        Normalisation applied to each modality.

    Returns
    -------
    semantics : ClassSemantics
        The validated semantics.

    Raises
    ------
    TypeError
        If ``class_semantics`` is of an unsupported type (e.g. a bare list or
        array, which carries no class labels).
    ValueError
        If values are not finite, dimensions differ, labels are duplicated or a
        label of ``y`` has no semantics (the message names the missing labels).

    Examples
    --------
    >>> from sklearn_zsl.semantics import check_class_semantics
    >>> check_class_semantics({"a": [1, 0], "b": [0, 1]}, y=["a", "a", "b"])
    ClassSemantics(n_classes=2, modalities={'semantics': 2})
    """
    if isinstance(class_semantics, ClassSemantics):
        semantics = class_semantics
        if normalize not in (None, "none"):
            semantics = semantics.normalize(normalize)
    elif isinstance(class_semantics, pd.DataFrame):
        semantics = ClassSemantics.from_dataframe(class_semantics, normalize=normalize)
    elif isinstance(class_semantics, Mapping):
        semantics = ClassSemantics.from_mapping(class_semantics, normalize=normalize)
    else:
        hint = ""
        if isinstance(class_semantics, (list, tuple, np.ndarray)):
            hint = (
                " A bare list or array carries no class labels: use "
                "ClassSemantics(labels, matrix), a DataFrame indexed by label or a "
                "dict {label: vector}."
            )
        raise TypeError(
            "class_semantics must be a ClassSemantics, a pandas.DataFrame indexed "
            f"by class label or a dict {{label: vector}}, got "
            f"{type(class_semantics).__name__}.{hint}"
        )
    if y is not None:
        classes = np.unique(check_labels(y, name="y"))
        check_label_types_match(
            classes,
            semantics.labels,
            name="y",
            reference_name="the class semantics",
            fix="index the semantics by the labels used in y",
        )
        missing = np.setdiff1d(classes, semantics.labels)
        if missing.size:
            raise ValueError(
                f"No class semantics for the classes {_format_labels(missing)} of y; "
                "every class in y needs a semantic vector."
            )
    return semantics
