"""A small zero-shot task on real images: digits with hand-written attributes."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, validate_params

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


@validate_params(
    {
        "unseen_classes": ["array-like"],
        "test_seen_size": [Interval(Real, 0, 1, closed="left")],
        "n_validation_folds": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def load_zsl_digits(
    *,
    unseen_classes=(2, 5, 9),
    test_seen_size: float = 0.2,
    n_validation_folds: int = 3,
    random_state=None,
):
    """Load a small zero-shot task on real images: handwritten digits.

    The 1,797 8x8 images of scikit-learn's
    :func:`~sklearn.datasets.load_digits` (64 pixel intensities, 0-16, as
    features; real images, no file to download) with 14 attributes per digit
    written by hand for this package (loops, strokes, bars, curves, symmetry,
    ink, width; see ``DESCR``). Some digits are held out as unseen classes.
    It is laid out like :func:`load_xlsa17`'s output. A small, fast task with
    real features and few seen classes, where defaults tuned on large
    benchmarks can fail.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    unseen_classes : array-like of int, default=(2, 5, 9)
        The digits held out as unseen; at least two must remain seen.
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
        one modality, ``"attributes"``), ``attribute_names``,
        ``seen_classes``, ``unseen_classes``, ``trainval_indices``,
        ``test_seen_indices``, ``test_unseen_indices``, ``validation_folds``,
        ``validation_class_folds``, ``synthetic_features=False`` and
        ``DESCR``.

    See Also
    --------
    make_zsl_from_semantics : Synthetic features for real class semantics.

    Examples
    --------
    >>> from sklearn_zsl.datasets import load_zsl_digits
    >>> data = load_zsl_digits(random_state=0)
    >>> data.data.shape, data.class_semantics.dims
    ((1797, 64), {'attributes': 14})
    >>> data.unseen_classes
    array([2, 5, 9])
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
    names = list(DIGIT_ATTRIBUTES)
    attributes = pd.DataFrame(_DIGIT_TABLE, index=labels, columns=names)
    described = "\n".join(
        f"- {name}: {text}" for name, text in DIGIT_ATTRIBUTES.items()
    )
    descr = (
        "Handwritten digits as a zero-shot task (real images)\n"
        "=====================================================\n\n"
        "The 8x8 images of scikit-learn's digits data set (UCI optical "
        "recognition of handwritten digits), 64 pixel intensities per image. "
        "The class attributes were written by hand for sklearn_zsl from the "
        "usual shapes of the digits, each in [0, 1]:\n\n"
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
        class_semantics=ClassSemantics(labels, {"attributes": attributes}),
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
