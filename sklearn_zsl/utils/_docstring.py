"""Docstring fragments shared by the zero-shot estimators."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

_SHARED_DOCS = {
    "class_semantics": """\
    class_semantics : ClassSemantics, pandas.DataFrame or dict, default=None
        Semantic vectors of the seen and unseen classes, used when ``fit``
        receives none. ``None`` in both places gives one-hot vectors of the
        classes of ``y`` (an ordinary supervised classifier).""",
    "seen_penalty": """\
    seen_penalty : float or "auto", default="auto"
        Subtracted from the scores of the seen classes before the argmax
        (calibrated stacking, Chao et al. 2016) to trade seen-class accuracy
        for unseen-class accuracy in generalised zero-shot learning.
        ``"auto"`` chooses it in ``fit`` to maximise the harmonic mean on
        class-disjoint splits of the training data (some seen classes play the
        unseen ones; see
        :func:`~sklearn_zsl.model_selection.calibrate_seen_penalty`), at the
        cost of fitting a clone on each split, and stores it in
        ``seen_penalty_``. Without unseen classes it is 0. Setting a number
        after ``fit`` needs no refit.""",
    "class_attributes": """\
    classes_ : ndarray of shape (n_classes,)
        All class labels with semantics, seen and unseen, sorted.
    seen_classes_ : ndarray of shape (n_seen_classes,)
        The classes present in ``y``.
    unseen_classes_ : ndarray of shape (n_unseen_classes,)
        The classes with semantics but no training sample.
    seen_penalty_ : float
        The seen penalty chosen in ``fit`` with ``seen_penalty="auto"``, else
        the number given; predictions subtract it while ``seen_penalty`` is
        ``"auto"``.""",
}


def _fill_shared_docs(cls):
    """Replace each ``%(name)s`` line of ``cls.__doc__`` by its shared fragment."""
    doc = cls.__doc__
    for name, text in _SHARED_DOCS.items():
        doc = doc.replace(f"    %({name})s", text)
    assert "%(" not in doc, f"unknown docstring fragment in {cls.__name__}"
    cls.__doc__ = doc
    return cls
