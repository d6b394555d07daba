"""Low-level readers for MATLAB ``.mat`` files and plain-text class lists.

Every reader names the file (and the key) it failed on, so that a corrupt,
truncated or foreign file gives an actionable error instead of a ``KeyError``
deep inside the loader.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import os

import numpy as np
import scipy.io

__all__: list[str] = []


def read_mat(path: str | os.PathLike, *, what: str) -> dict:
    """Load a ``.mat`` file with :func:`scipy.io.loadmat`, with clear errors.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    what : str
        What the file is, for the error messages (e.g. ``"the features file"``).

    Returns
    -------
    content : dict
        The variables of the file, without scipy's ``__header__`` entries.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"{what} {path!r} does not exist; check the path (and the dataset "
            "folder name)."
        )
    try:
        content = scipy.io.loadmat(path)
    except NotImplementedError as exc:
        # scipy raises NotImplementedError for MATLAB v7.3 (HDF5) files.
        raise ValueError(
            f"{what} {path!r} is a MATLAB v7.3 (HDF5) file, which scipy.io cannot "
            "read; re-save it from MATLAB with save(..., '-v7')."
        ) from exc
    except Exception as exc:  # scipy raises many types on corrupt input
        raise ValueError(
            f"{what} {path!r} could not be read as a MATLAB .mat file "
            f"({type(exc).__name__}: {exc}); it is corrupt or incomplete, "
            "download or write it again."
        ) from exc
    return {key: value for key, value in content.items() if not key.startswith("__")}


def get_entry(content: dict, key: str, path: str | os.PathLike) -> np.ndarray:
    """Return ``content[key]``, or raise a ValueError naming the file and key."""
    if key not in content:
        raise ValueError(
            f"{os.fspath(path)!r} has no {key!r} entry (it holds "
            f"{sorted(content)}); the file is incomplete or not in the xlsa17 "
            "format."
        )
    return content[key]


def as_strings(value, *, path: str | os.PathLike, key: str) -> np.ndarray:
    """Decode MATLAB strings (cell arrays of char arrays, or a char matrix).

    ``loadmat`` returns a cell array of strings as an object array whose
    elements are 1-element string arrays (``array([array(['antelope'])])``),
    and a char matrix as an array of fixed-width strings. Both become a flat
    array of Python strings, stripped of MATLAB's padding.
    """
    value = np.asarray(value)
    if value.dtype.kind == "U":
        return np.array([s.strip() for s in value.ravel()], dtype=str)
    if value.dtype.kind != "O":
        raise ValueError(
            f"{os.fspath(path)!r}: {key!r} should hold strings, got an array of "
            f"dtype {value.dtype}; the file is not in the xlsa17 format."
        )
    names = []
    for element in value.ravel():
        decoded = as_strings(element, path=path, key=key)
        if decoded.size != 1:
            raise ValueError(
                f"{os.fspath(path)!r}: each element of {key!r} should be one "
                f"string, got {decoded.size}; the file is not in the xlsa17 format."
            )
        names.append(str(decoded[0]))
    return np.array(names, dtype=str)


def as_indices(
    value, *, path: str | os.PathLike, key: str, n_samples: int | None = None
) -> np.ndarray:
    """Convert a 1-based MATLAB index vector into 0-based ``int64`` positions."""
    where = f"{os.fspath(path)!r}: {key!r}"
    values = np.asarray(value)
    if values.dtype.kind not in "uif" or values.size == 0:
        raise ValueError(
            f"{where} should be a non-empty vector of 1-based indices, got an "
            f"array of dtype {values.dtype} and shape {values.shape}."
        )
    values = values.ravel()
    if values.dtype.kind == "f" and not np.all(np.isfinite(values) & (values % 1 == 0)):
        raise ValueError(f"{where} holds non-integer indices; the file is corrupt.")
    values = values.astype(np.int64)
    if values.min() < 1:
        raise ValueError(
            f"{where} holds the index {values.min()}, but MATLAB indices start at "
            "1; the file is corrupt or was not written by MATLAB."
        )
    if n_samples is not None and values.max() > n_samples:
        raise ValueError(
            f"{where} refers to sample {values.max()} but the features hold only "
            f"{n_samples} samples; the features and the split do not belong "
            "together."
        )
    if np.unique(values).size != values.size:
        raise ValueError(f"{where} repeats indices; the file is corrupt.")
    return values - 1


def read_class_list(path: str | os.PathLike) -> np.ndarray:
    """Read a text file with one class name per line (xlsa17 ``*classes*.txt``).

    Lines of the form ``"<number> <name>"`` (the ``classes.txt`` of
    CUB-200-2011 and AwA2) give ``<name>``.
    """
    with open(path, encoding="utf-8") as file:
        lines = [line.strip() for line in file]
    names = []
    for line in filter(None, lines):
        parts = line.split()
        names.append(parts[1] if len(parts) == 2 and parts[0].isdigit() else line)
    if not names:
        raise ValueError(f"The class list {os.fspath(path)!r} is empty.")
    return np.array(names, dtype=str)


def format_names(names, limit: int = 5) -> str:
    """Short printable list of class names for error messages."""
    names = [str(name) for name in names]
    shown = ", ".join(repr(name) for name in names[:limit])
    if len(names) > limit:
        shown += f", ... ({len(names) - limit} more)"
    return f"[{shown}]"
