"""Checks of how an estimator takes class semantics: forms, places, order, labels."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator

from sklearn_zsl.semantics import ClassSemantics
from sklearn_zsl.utils.estimator_checks._common import (
    _assert_highest_scoring,
    _assert_same_scores,
    _fitted_on_zsl_data,
    _raises,
    _relabel,
    _rename,
    _scores,
    _seeded_clone,
    _zsl_check,
    _zsl_data,
)


@_zsl_check
def check_fit_without_class_semantics(name: str, estimator_orig: BaseEstimator) -> None:
    """Check that without semantics the estimator is an ordinary classifier.

    With ``class_semantics=None`` in ``fit`` and in the constructor (as in
    scikit-learn's own checks), ``classes_`` and ``seen_classes_`` are the
    labels of ``y``, there is no unseen class, and the scores have one column
    per label of ``y``.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import (
    ...     check_fit_without_class_semantics,
    ... )
    >>> check_fit_without_class_semantics("ESZSLClassifier", ESZSLClassifier())
    """
    X_train, y_train, _, _ = _zsl_data()
    estimator = _seeded_clone(estimator_orig).set_params(class_semantics=None)
    estimator.fit(X_train, y_train)
    classes = np.unique(y_train)
    for attribute in ("classes_", "seen_classes_"):
        assert_array_equal(
            getattr(estimator, attribute),
            classes,
            err_msg=f"Without semantics, {name}.{attribute} must be the labels of y.",
        )
    assert estimator.unseen_classes_.size == 0, (
        f"Without semantics, {name} has unseen classes {estimator.unseen_classes_}."
    )
    shape = _scores(estimator, X_train).shape
    assert shape == (X_train.shape[0], classes.size), (
        f"Without semantics, {name}.decision_function has shape {shape}."
    )


@_zsl_check
def check_missing_class_semantics(name: str, estimator_orig: BaseEstimator) -> None:
    """Check that a label of ``y`` without semantics is a ``ValueError`` naming it.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import check_missing_class_semantics
    >>> check_missing_class_semantics("ESZSLClassifier", ESZSLClassifier())
    """
    X_train, y_train, _, semantics = _zsl_data()
    mapping = {label: f"class_{label:02d}" for label in semantics.labels.tolist()}
    y_train, semantics = _relabel(mapping, y_train, semantics)
    missing = y_train[0].item()
    partial = semantics.select(np.setdiff1d(semantics.labels, [missing]))
    estimator = _seeded_clone(estimator_orig)
    exc = _raises(
        lambda: estimator.fit(X_train, y_train, class_semantics=partial),
        err_msg=(
            f"{name}.fit accepted a class of y ({missing!r}) that has no semantic "
            "vector; it must raise a ValueError naming it."
        ),
    )
    assert isinstance(exc, ValueError) and missing in str(exc), (
        f"{name}.fit must raise a ValueError naming the class of y without "
        f"semantics ({missing!r}); it raised {type(exc).__name__}: {exc}"
    )


@_zsl_check
def check_class_semantics_forms(name: str, estimator_orig: BaseEstimator) -> None:
    """Check that every accepted form of class semantics gives the same model.

    A :class:`~sklearn_zsl.ClassSemantics`, a :class:`pandas.DataFrame` indexed
    by label and a mapping ``{label: vector}`` holding the same vectors give
    the same classes and the same scores.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import check_class_semantics_forms
    >>> check_class_semantics_forms("ESZSLClassifier", ESZSLClassifier())
    """
    reference, (X_train, y_train, X, semantics) = _fitted_on_zsl_data(estimator_orig)
    matrix = semantics.to_numpy()
    forms = {
        "a DataFrame indexed by label": semantics.to_frame(),
        "a dict {label: vector}": dict(
            zip(semantics.labels.tolist(), matrix, strict=True)
        ),
    }
    for form, value in forms.items():
        estimator = _seeded_clone(estimator_orig).fit(
            X_train, y_train, class_semantics=value
        )
        assert_array_equal(
            estimator.classes_,
            reference.classes_,
            err_msg=f"{name} fitted on semantics as {form} has other classes_.",
        )
        _assert_same_scores(
            _scores(estimator, X),
            _scores(reference, X),
            err_msg=f"{name} fitted on semantics as {form} gives other scores than "
            "with a ClassSemantics.",
        )


@_zsl_check
def check_class_semantics_in_fit_or_constructor(
    name: str, estimator_orig: BaseEstimator
) -> None:
    """Check both ways of passing class semantics, and that ``fit``'s wins.

    The constructor parameter ``class_semantics`` and the ``fit`` argument of
    the same name give the same model; when both are given, the ``fit``
    argument is used; and ``fit`` leaves the constructor parameter as it was.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import (
    ...     check_class_semantics_in_fit_or_constructor,
    ... )
    >>> check_class_semantics_in_fit_or_constructor(
    ...     "ESZSLClassifier", ESZSLClassifier()
    ... )
    """
    by_fit, (X_train, y_train, X, semantics) = _fitted_on_zsl_data(estimator_orig)
    by_constructor = _seeded_clone(estimator_orig).set_params(class_semantics=semantics)
    by_constructor.fit(X_train, y_train)
    assert_array_equal(
        by_constructor.classes_,
        by_fit.classes_,
        err_msg=f"{name} ignores the class_semantics constructor parameter.",
    )
    _assert_same_scores(
        _scores(by_constructor, X),
        _scores(by_fit, X),
        err_msg=f"{name} gives other scores with the semantics as a constructor "
        "parameter than as a fit argument.",
    )
    # other semantics in the constructor: an extra class and other vectors
    rng = np.random.RandomState(1)
    labels = np.append(semantics.labels, semantics.labels.max() + 1)
    other = ClassSemantics(labels, rng.uniform(size=(labels.size, semantics.n_dims)))
    both = _seeded_clone(estimator_orig).set_params(class_semantics=other)
    both.fit(X_train, y_train, class_semantics=semantics)
    assert both.get_params()["class_semantics"] is other, (
        f"{name}.fit changed the class_semantics constructor parameter."
    )
    assert_array_equal(
        both.classes_,
        by_fit.classes_,
        err_msg=f"{name} used the constructor's semantics although fit was given "
        "some: the fit argument must win.",
    )
    _assert_same_scores(
        _scores(both, X),
        _scores(by_fit, X),
        err_msg=f"{name} mixes the constructor's semantics into a fit given others.",
    )


@_zsl_check
def check_semantics_row_order_invariance(
    name: str, estimator_orig: BaseEstimator
) -> None:
    """Check that the row order of the class semantics changes nothing.

    Semantics are matched to the classes by label: the same vectors in another
    row order (as a shuffled :class:`~sklearn_zsl.ClassSemantics` and as a
    DataFrame in reverse order) give the same ``classes_`` and the same scores.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import (
    ...     check_semantics_row_order_invariance,
    ... )
    >>> check_semantics_row_order_invariance("ESZSLClassifier", ESZSLClassifier())
    """
    reference, (X_train, y_train, X, semantics) = _fitted_on_zsl_data(estimator_orig)
    order = np.random.RandomState(0).permutation(semantics.n_classes)
    shuffled = ClassSemantics(semantics.labels[order], semantics.to_numpy()[order])
    for form, value in [
        ("shuffled rows", shuffled),
        ("rows in reverse order", semantics.to_frame().iloc[::-1]),
    ]:
        estimator = _seeded_clone(estimator_orig)
        estimator.fit(X_train, y_train, class_semantics=value)
        assert_array_equal(
            estimator.classes_,
            reference.classes_,
            err_msg=f"{name}.classes_ depends on the row order of the semantics.",
        )
        _assert_same_scores(
            _scores(estimator, X),
            _scores(reference, X),
            err_msg=f"{name} fitted on semantics with {form} gives other scores: "
            "semantic vectors must be matched to classes by label, not by position.",
        )


@_zsl_check
def check_relabelling_invariance(name: str, estimator_orig: BaseEstimator) -> None:
    """Check that renaming the classes renames the outputs and changes nothing else.

    The classes are renamed, in ``y`` and in the semantics, with two
    order-preserving maps: integers to strings, and integers to other,
    non-consecutive integers. The relabelled model has the renamed
    ``classes_``, ``seen_classes_`` and predictions, and the same scores.
    The maps keep the order of the labels, so that an estimator drawing
    random numbers class by class draws the same ones.

    Parameters
    ----------
    name : str
        Name of the estimator, used in error messages.
    estimator_orig : estimator object
        Unfitted zero-shot classifier; the check fits clones of it.

    Examples
    --------
    >>> from sklearn_zsl import ESZSLClassifier
    >>> from sklearn_zsl.utils.estimator_checks import check_relabelling_invariance
    >>> check_relabelling_invariance("ESZSLClassifier", ESZSLClassifier())
    """
    reference, (X_train, y_train, X, semantics) = _fitted_on_zsl_data(estimator_orig)
    labels = semantics.labels.tolist()
    maps = {
        "strings": {label: f"class_{label:02d}" for label in labels},
        "non-consecutive integers": {label: 10 * label + 5 for label in labels},
    }
    for kind, mapping in maps.items():
        new_y, new_semantics = _relabel(mapping, y_train, semantics)
        estimator = _seeded_clone(estimator_orig)
        estimator.fit(X_train, new_y, class_semantics=new_semantics)
        for attribute in ("classes_", "seen_classes_", "unseen_classes_"):
            assert_array_equal(
                getattr(estimator, attribute),
                _rename(mapping, getattr(reference, attribute)),
                err_msg=f"{name}.{attribute} with classes renamed as {kind} is "
                "not the renamed one.",
            )
        _assert_same_scores(
            _scores(estimator, X),
            _scores(reference, X),
            err_msg=f"{name} gives other scores once the classes are renamed as "
            f"{kind}.",
        )
        # the renamed prediction, in the reference's labels, is its best class
        inverse = dict(zip(mapping.values(), mapping, strict=True))
        y_pred = _rename(inverse, estimator.predict(X))
        _assert_highest_scoring(
            _scores(reference, X),
            np.searchsorted(reference.classes_, y_pred),
            err_msg=f"{name} predicts other classes once they are renamed as {kind}",
        )
