"""Class lists of the xlsa17 split, and what xlsa17 lacks from the original releases.

The class lists give the seen and unseen classes and the validation folds
(``trainclassesK.txt`` / ``valclassesK.txt``).

CUB-200-2011 lists its images in the order of the xlsa17 CUB features
(``images.txt``) with their classes (``image_class_labels.txt``); AwA2's image
lists (``image_label_PS.txt`` and ``test_seen_PS.txt``), sorted by path, give the
order of the xlsa17 AWA2 features. Attribute names come from CUB's
``attributes.txt`` and AwA's ``predicates.txt``.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import glob
import os
import re
from typing import NamedTuple

import numpy as np

from sklearn_zsl.datasets._matfile import format_names, read_class_list

__all__: list[str] = []

_ATTRIBUTE_FILES = ("attributes.txt", "predicates.txt")
_AWA2_IMAGE_LISTS = ("image_label_PS.txt", "test_seen_PS.txt")


class Metadata(NamedTuple):
    semantic_names: np.ndarray | None
    target: np.ndarray | None


def read_metadata(metadata_dir, name: str, class_names, n_attributes: int):
    """Attribute names and per-image class names found in ``metadata_dir``."""
    if metadata_dir is None:
        return Metadata(None, None)
    folder = os.fspath(metadata_dir)
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"metadata_dir {folder!r} is not a folder; pass the folder of the "
            "original release (e.g. cub_200_2011/ or awa2_base/) or None."
        )
    semantic_names = None
    for file_name in _ATTRIBUTE_FILES:
        path = os.path.join(folder, file_name)
        if os.path.isfile(path):
            semantic_names = read_class_list(path)
            if semantic_names.size != n_attributes:
                raise ValueError(
                    f"{path!r} names {semantic_names.size} attributes but the "
                    f"dataset has {n_attributes}; metadata_dir belongs to another "
                    "dataset."
                )
            break
    target = _cub_image_classes(folder)
    if target is None and name.upper() == "AWA2":
        target = _awa2_image_classes(folder)
    if target is not None:
        unknown = np.setdiff1d(target, class_names)
        if unknown.size:
            raise ValueError(
                f"The image lists of metadata_dir={folder!r} name classes absent "
                f"from the dataset: {format_names(unknown)}; metadata_dir belongs "
                "to another dataset."
            )
    if semantic_names is None and target is None:
        raise ValueError(
            f"metadata_dir={folder!r} holds none of {list(_ATTRIBUTE_FILES)}, "
            "classes.txt + image_class_labels.txt (CUB-200-2011) or "
            f"{list(_AWA2_IMAGE_LISTS)} (AwA2)."
        )
    return Metadata(semantic_names, target)


def _cub_image_classes(folder: str) -> np.ndarray | None:
    """Class name of every image, in ``images.txt`` order (CUB-200-2011)."""
    classes_path = os.path.join(folder, "classes.txt")
    labels_path = os.path.join(folder, "image_class_labels.txt")
    if not (os.path.isfile(classes_path) and os.path.isfile(labels_path)):
        return None
    names = read_class_list(classes_path)
    rows = np.loadtxt(labels_path, dtype=np.int64, ndmin=2)
    if rows.shape[1] != 2 or not np.array_equal(rows[:, 0], np.arange(len(rows)) + 1):
        raise ValueError(
            f"{labels_path!r} should hold lines '<image id> <class id>' with "
            "image ids 1, 2, ...; the file is corrupt."
        )
    if rows[:, 1].min() < 1 or rows[:, 1].max() > names.size:
        raise ValueError(
            f"{labels_path!r} refers to classes outside 1..{names.size} of "
            f"{classes_path!r}."
        )
    return names[rows[:, 1] - 1]


def _awa2_image_classes(folder: str) -> np.ndarray | None:
    """Class name of every image, in the order of the sorted image paths (AwA2)."""
    paths = []
    for file_name in _AWA2_IMAGE_LISTS:
        path = os.path.join(folder, file_name)
        if not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8") as file:
            paths.extend(line.split()[0] for line in file if line.strip())
    paths.sort()
    if len(set(paths)) != len(paths):
        raise ValueError(
            f"The AwA2 image lists in {folder!r} repeat images; they are corrupt."
        )
    return np.array([path.split("/")[0] for path in paths], dtype=str)


def check_split_labels(target, splits, seen, unseen, *, source: str) -> None:
    """Check that the classes of the split's images match seen and unseen."""
    names = ("trainval", "test_seen", "test_unseen")
    expected = (seen, seen, unseen)
    for part, indices, classes in zip(names, splits, expected, strict=True):
        found = np.unique(target[indices])
        wrong = np.setdiff1d(found, classes)
        if wrong.size or (part != "test_seen" and found.size != classes.size):
            raise ValueError(
                f"{source} do not match the split: the {part} images have classes "
                f"{format_names(found)}, expected exactly the "
                f"{'unseen' if part == 'test_unseen' else 'seen'} classes "
                f"{format_names(classes)}."
            )


def uniform_class_counts(class_names, seen, unseen, splits) -> dict:
    """Per-class image counts spread evenly over the split sizes.

    Seen classes share ``len(trainval) + len(test_seen)`` images, unseen classes
    ``len(test_unseen)``; the first classes (in file order) get one more image
    when the division leaves a remainder, so the totals are exact.
    """
    counts = {}
    parts = ((seen, splits[0].size + splits[1].size), (unseen, splits[2].size))
    for classes, total in parts:
        members = set(classes.tolist())
        ordered = [c for c in class_names.tolist() if c in members]
        base, extra = divmod(total, len(ordered))
        counts.update({c: base + (i < extra) for i, c in enumerate(ordered)})
    return {c: int(counts[c]) for c in class_names.tolist()}


def seen_unseen_classes(folder, class_names, target, splits):
    """Seen and unseen classes from the class lists, else from the labels."""
    lists = []
    for file_name in ("trainvalclasses.txt", "testclasses.txt"):
        path = os.path.join(folder, file_name)
        if os.path.isfile(path):
            lists.append(_checked_class_list(path, class_names))
    if len(lists) == 2:
        seen, unseen = (np.unique(classes) for classes in lists)
        if np.intersect1d(seen, unseen).size:
            raise ValueError(
                f"trainvalclasses.txt and testclasses.txt in {folder!r} share "
                f"classes {format_names(np.intersect1d(seen, unseen))}."
            )
        return seen, unseen
    if target is None:
        raise FileNotFoundError(
            f"{folder!r} lacks trainvalclasses.txt/testclasses.txt and no image "
            "label is known, so the seen and unseen classes are unknown; add the "
            "class lists, pass features= or metadata_dir=."
        )
    return np.unique(target[splits[0]]), np.unique(target[splits[2]])


def _checked_class_list(path: str, class_names: np.ndarray) -> np.ndarray:
    classes = read_class_list(path)
    unknown = np.setdiff1d(classes, class_names)
    if unknown.size:
        raise ValueError(
            f"{path!r} names classes absent from allclasses_names: "
            f"{format_names(unknown)}."
        )
    return classes


def read_class_folds(folder, class_names, seen) -> list:
    """``(train_classes, val_classes)`` of each trainclassesK/valclassesK pair."""
    folds = []
    pattern = re.compile(r"trainclasses(\d+)\.txt$")
    found = sorted(
        (int(match.group(1)), path)
        for path in glob.glob(os.path.join(folder, "trainclasses*.txt"))
        if (match := pattern.search(path))
    )
    for k, train_path in found:
        val_path = os.path.join(folder, f"valclasses{k}.txt")
        if not os.path.isfile(val_path):
            raise FileNotFoundError(
                f"{train_path!r} has no matching {val_path!r}; every validation "
                "fold needs both files."
            )
        train = np.unique(_checked_class_list(train_path, class_names))
        val = np.unique(_checked_class_list(val_path, class_names))
        if np.intersect1d(train, val).size or not np.array_equal(
            np.union1d(train, val), seen
        ):
            raise ValueError(
                f"Fold {k} of {folder!r} is not a class-disjoint partition of the "
                "seen classes: trainclasses and valclasses must share no class "
                "and together list every class of trainvalclasses.txt."
            )
        folds.append((train, val))
    return folds


def index_folds(class_folds, target, trainval):
    if target is None:
        return None
    labels = target[trainval]
    return [
        (trainval[np.isin(labels, train)], trainval[np.isin(labels, val)])
        for train, val in class_folds
    ]
