"""A small zero-shot task on real images: digits with hand-written descriptions."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from sklearn_zsl.datasets._semisynthetic import _random_class_folds, _split_samples
from sklearn_zsl.semantics import ClassSemantics

__all__ = ["load_zsl_digits"]

#: What each attribute says of a digit's usual handwritten shape, in [0, 1]
#: (1: always, 0.5: in about half of the writings or partly, 0: never).
DIGIT_ATTRIBUTES = {
    "closed_loop": "has at least one closed loop",
    "two_loops": "has two closed loops",
    "loop_top": "has a loop in its upper half",
    "loop_bottom": "has a loop in its lower half",
    "vertical_stroke": "has a long straight vertical stroke",
    "top_bar": "has a horizontal stroke at the top",
    "bottom_bar": "has a horizontal stroke at the bottom",
    "middle_bar": "has a horizontal stroke or a crossing in the middle",
    "diagonal_stroke": "has a long diagonal stroke",
    "opens_left": "has a curve open to the left",
    "opens_right": "has a curve open to the right",
    "symmetric": "is left-right symmetric",
    "ink": "amount of ink",
    "narrow": "is narrow",
}

# Written by hand for this package from the usual shapes of the digits; one
# row per digit, columns in the order of DIGIT_ATTRIBUTES.
_DIGIT_TABLE = np.array(
    [
        # loop two top bot vert topb botb mid diag opl opr sym ink narrow
        [1.0, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.8, 0.2],  # 0
        [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.3, 0.0, 0.3, 0.0, 0.0, 0.7, 0.2, 1.0],  # 1
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.6, 0.2],  # 2
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.0, 0.5, 0.0, 1.0, 0.0, 0.0, 0.6, 0.3],  # 3
        [0.5, 0.0, 0.5, 0.0, 1.0, 0.0, 0.0, 1.0, 0.5, 0.0, 0.0, 0.0, 0.5, 0.3],  # 4
        [0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 0.3, 0.0, 0.0, 1.0, 0.5, 0.0, 0.6, 0.3],  # 5
        [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.0, 1.0, 0.0, 0.6, 0.3],  # 6
        [0.0, 0.0, 0.0, 0.0, 0.3, 1.0, 0.0, 0.2, 1.0, 0.0, 0.0, 0.0, 0.3, 0.3],  # 7
        [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.5, 0.0, 0.0, 1.0, 1.0, 0.3],  # 8
        [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.3, 0.0, 0.0, 0.0, 0.6, 0.3],  # 9
    ]
)

#: The segments of a seven-segment display, in the usual order a-g.
DIGIT_SEGMENTS = {
    "top": "segment a, the top bar",
    "upper_right": "segment b, the upper right side",
    "lower_right": "segment c, the lower right side",
    "bottom": "segment d, the bottom bar",
    "lower_left": "segment e, the lower left side",
    "upper_left": "segment f, the upper left side",
    "middle": "segment g, the middle bar",
}

# The segments lit for each digit on a seven-segment display (the common
# forms: 6 with its top bar, 7 without the upper left side, 9 with its bottom
# bar); one row per digit, columns in the order of DIGIT_SEGMENTS.
_SEGMENT_TABLE = np.array(
    [
        # a  b  c  d  e  f  g
        [1, 1, 1, 1, 1, 1, 0],  # 0
        [0, 1, 1, 0, 0, 0, 0],  # 1
        [1, 1, 0, 1, 1, 0, 1],  # 2
        [1, 1, 1, 1, 0, 0, 1],  # 3
        [0, 1, 1, 0, 0, 1, 1],  # 4
        [1, 0, 1, 1, 0, 1, 1],  # 5
        [1, 0, 1, 1, 1, 1, 1],  # 6
        [1, 1, 1, 0, 0, 0, 0],  # 7
        [1, 1, 1, 1, 1, 1, 1],  # 8
        [1, 1, 1, 1, 0, 1, 1],  # 9
    ],
    dtype=np.float64,
)
#: Each description: (its table, its column names and texts, how it was made).
_DESCRIPTIONS = {
    "segments": (
        _SEGMENT_TABLE,
        DIGIT_SEGMENTS,
        "the segments that show the digit on a seven-segment display, 1 if lit",
    ),
    "attributes": (
        _DIGIT_TABLE,
        DIGIT_ATTRIBUTES,
        "attributes written by hand for sklearn_zsl from the usual shapes of "
        "the digits, each in [0, 1]",
    ),
}


@validate_params(
    {
        "unseen_classes": ["array-like"],
        "semantics": [StrOptions({"segments", "attributes", "both"})],
        "test_seen_size": [Interval(Real, 0, 1, closed="left")],
        "n_validation_folds": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def load_zsl_digits(
    *,
    unseen_classes=(2, 5, 9),
    semantics: str = "segments",
    test_seen_size: float = 0.2,
    n_validation_folds: int = 3,
    random_state=None,
):
    """Load a small zero-shot task on real images: handwritten digits.

    The 1,797 8x8 images of scikit-learn's
    :func:`~sklearn.datasets.load_digits` (64 pixel intensities, 0-16, as
    features; real images, no file to download), each digit described by
    hand for this package: by the segments that show it on a seven-segment
    display, by 14 shape attributes (loops, strokes, bars, curves, symmetry,
    ink, width), or by both (see ``DESCR``). Some digits are held out as
    unseen classes. It is laid out like :func:`load_xlsa17`'s output. A
    small, fast task with real features and few seen classes, where defaults
    tuned on large benchmarks can fail.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    unseen_classes : array-like of int, default=(2, 5, 9)
        The digits held out as unseen; at least two must remain seen.
    semantics : {"segments", "attributes", "both"}, default="segments"
        The class description: ``"segments"``, 7 binary segments of a
        seven-segment display; ``"attributes"``, the 14 shape attributes;
        ``"both"``, the two as two modalities of one :class:`ClassSemantics`.
        The shape attributes say little about the pixels: with them the
        estimators that regress class means on the semantics (GFZSL, DEM)
        are at or below chance (see Notes).
    test_seen_size : float, default=0.2
        Share of the seen digits' images put in the test-seen part, rounded up
        and shared among the digits in proportion to their sizes (see
        :ref:`holding_out`).
    n_validation_folds : int, default=3
        Number of class-disjoint validation folds over the seen digits, of
        balanced sizes; 0 for none.
    random_state : int, RandomState instance or None, default=None
        Seed of the split and of the folds.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        ``data`` (float32, shape (1797, 64)), ``target`` (the digits),
        ``target_names``, ``class_semantics`` (a :class:`ClassSemantics` with
        the modality ``"segments"``, ``"attributes"`` or both),
        ``attribute_names`` (the columns of every modality, in order),
        ``seen_classes``, ``unseen_classes``, ``trainval_indices``,
        ``test_seen_indices``, ``test_unseen_indices``, ``validation_folds``,
        ``validation_class_folds``, ``synthetic_features=False`` and
        ``DESCR``.

    See Also
    --------
    make_zsl_from_semantics : Synthetic features for real class semantics.

    Notes
    -----
    Both descriptions were written without fitting them to the images. Over
    the 120 choices of three unseen digits, the zero-shot top-1 (chance 1/3)
    of ESZSL, SAE and GFZSL with default parameters is 0.44, 0.41 and 0.45
    with the segments, and 0.36, 0.41 and 0.32 with the shape attributes
    (``benchmarks/bench_digits_semantics.py``). Use the attributes to see how
    an estimator behaves when the class description says little about the
    features.

    Examples
    --------
    >>> from sklearn_zsl.datasets import load_zsl_digits
    >>> data = load_zsl_digits(random_state=0)
    >>> data.data.shape, data.class_semantics.dims
    ((1797, 64), {'segments': 7})
    >>> data.unseen_classes
    array([2, 5, 9])
    >>> load_zsl_digits(semantics="both").class_semantics.dims
    {'segments': 7, 'attributes': 14}
    """
    digits = load_digits()
    labels = np.arange(10)
    unseen = np.unique(np.asarray(unseen_classes))
    if unseen.size == 0 or not np.all(np.isin(unseen, labels)):
        raise ValueError(
            f"unseen_classes must be digits among 0-9, got {unseen_classes!r}."
        )
    seen = np.setdiff1d(labels, unseen)
    if seen.size < 2:
        raise ValueError(
            f"At least two digits must remain seen; unseen_classes={unseen_classes!r} "
            f"leaves {seen.size}."
        )
    rng = check_random_state(random_state)
    target = digits.target
    trainval, test_seen, test_unseen = _split_samples(target, seen, test_seen_size, rng)
    class_folds = _random_class_folds(target[trainval], seen, n_validation_folds, rng)
    chosen = ["segments", "attributes"] if semantics == "both" else [semantics]
    modalities, names, described = {}, [], []
    for name in chosen:
        table, columns, origin = _DESCRIPTIONS[name]
        modalities[name] = pd.DataFrame(table, index=labels, columns=list(columns))
        names += list(columns)
        lines = "\n".join(f"  - {column}: {text}" for column, text in columns.items())
        described.append(f"- {name}: {origin}.\n{lines}")
    described = "\n".join(described)
    descr = (
        "Handwritten digits as a zero-shot task (real images)\n"
        "=====================================================\n\n"
        "The 8x8 images of scikit-learn's digits data set (UCI optical "
        "recognition of handwritten digits), 64 pixel intensities per image. "
        "Each digit is described by hand for sklearn_zsl:\n\n"
        f"{described}\n\n"
        f"- classes: 10 ({seen.size} seen, {unseen.size} unseen: "
        f"{unseen.tolist()})\n"
        f"- samples: {trainval.size} trainval, {test_seen.size} test seen, "
        f"{test_unseen.size} test unseen\n"
    )
    return Bunch(
        data=digits.data.astype(np.float32),
        target=target,
        target_names=labels,
        class_semantics=ClassSemantics(labels, modalities),
        attribute_names=np.array(names),
        seen_classes=seen,
        unseen_classes=unseen,
        trainval_indices=trainval,
        test_seen_indices=test_seen,
        test_unseen_indices=test_unseen,
        validation_folds=[
            (
                trainval[np.isin(target[trainval], train)],
                trainval[np.isin(target[trainval], val)],
            )
            for train, val in class_folds
        ],
        validation_class_folds=class_folds,
        synthetic_features=False,
        DESCR=descr,
    )
