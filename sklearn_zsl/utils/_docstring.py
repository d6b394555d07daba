"""The one docstring templating mechanism, and the fragments the estimators share.

A docstring holds a placeholder line ``%(name)s``, indented as the text that
replaces it; :class:`Substitution` fills the placeholders of a class or
function. :data:`_fill_shared_docs` fills those of the estimators
(``class_semantics``, ``seen_penalty``, ``class_attributes``); other modules
define their own fragments and decorate with their own ``Substitution``.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

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


class Substitution:
    r"""Decorator filling the ``%(name)s`` placeholder lines of a docstring.

    Each placeholder line, indented by four spaces as in the docstring of a
    module-level class or function, is replaced by its fragment, which
    carries its own indentation. A placeholder left without a fragment
    is an error, caught when the module is imported. A docstring that is
    ``None`` (``python -OO``) is left alone.

    Parameters
    ----------
    **fragments : str
        Text of each placeholder, by name.

    Examples
    --------
    >>> from sklearn_zsl.utils._docstring import Substitution
    >>> @Substitution(seed="    seed : int\n        The seed.")
    ... def draw(seed):
    ...     '''Draw a number.
    ...
    ...     Parameters
    ...     ----------
    ...     %(seed)s
    ...     '''
    >>> print(draw.__doc__.strip())
    Draw a number.
    <BLANKLINE>
        Parameters
        ----------
        seed : int
            The seed.
    """

    def __init__(self, **fragments: str) -> None:
        self.fragments = fragments

    def __call__(self, obj):
        """Fill the placeholders of ``obj.__doc__`` and return ``obj``."""
        doc = obj.__doc__
        if doc is None:
            return obj
        for name, text in self.fragments.items():
            doc = doc.replace(f"    %({name})s", text)
        assert "%(" not in doc, f"unknown docstring fragment in {obj.__qualname__}"
        obj.__doc__ = doc
        return obj


#: Fills the fragments every zero-shot estimator shares.
_fill_shared_docs = Substitution(**_SHARED_DOCS)
