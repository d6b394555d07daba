"""Synthetic zero-shot classification data.

Features are drawn from a nonlinear map of latent class codes that the class
semantics observe, plus class-specific variation the semantics cannot explain,
so that a model fitted on the seen classes transfers only partly to the unseen
ones -- the seen/unseen bias of real zero-shot benchmarks.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from sklearn_zsl.model_selection._holdout import hold_out_classes
from sklearn_zsl.semantics import ClassSemantics

__all__ = ["make_zsl_classification"]

#: Constraints of the parameters of the feature generator, shared by every
#: generator of this subpackage.
GENERATOR_CONSTRAINTS = {
    "n_features": [Interval(Integral, 1, None, closed="left")],
    "noise": [Interval(Real, 0, None, closed="left")],
    "class_variation": [Interval(Real, 0, None, closed="left")],
    "nonlinearity": [Interval(Real, 0, 1, closed="both")],
    "within_class_spread": [Interval(Real, 0, None, closed="left")],
    "random_state": ["random_state"],
}


@validate_params(
    {
        "n_classes": [Interval(Integral, 3, None, closed="left")],
        "n_unseen": [Interval(Integral, 1, None, closed="left")],
        "n_samples_per_class": [Interval(Integral, 1, None, closed="left")],
        "n_semantics": [Interval(Integral, 1, None, closed="left"), tuple],
        "n_latent": [Interval(Integral, 1, None, closed="left")],
        **GENERATOR_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def make_zsl_classification(
    n_classes: int = 30,
    n_unseen: int = 10,
    n_samples_per_class: int = 40,
    n_features: int = 64,
    n_semantics: int | tuple[int, ...] = 16,
    *,
    n_latent: int = 4,
    noise: float = 1.0,
    class_variation: float = 0.5,
    nonlinearity: float = 0.8,
    within_class_spread: float = 0.3,
    random_state=None,
):
    """Generate a zero-shot classification problem with class semantics.

    Every class has a latent code; the class semantics are views of that code
    and the features a noisy nonlinear function of it, plus a class-specific
    part the semantics do not explain. Samples of *all* classes are returned;
    hold out the unseen ones with ``np.isin(y, unseen_classes)``.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    n_classes : int, default=30
        Number of classes, seen and unseen.
    n_unseen : int, default=10
        Number of unseen classes; at least two classes must remain seen.
    n_samples_per_class : int, default=40
        Number of samples of every class.
    n_features : int, default=64
        Number of features.
    n_semantics : int or tuple of int, default=16
        Dimension of the class semantics. A tuple gives several modalities,
        named ``"attributes"``, ``"modality_1"``, ``"modality_2"``, ..., each
        blind to part of the latent code, so that they complement each other.
    n_latent : int, default=4
        Dimension of the latent class codes: the intrinsic dimension of the
        semantics and of the class means.
    noise : float, default=1.0
        Standard deviation of the per-sample isotropic noise, in units of the
        spread of the class means.
    class_variation : float, default=0.5
        Standard deviation of the class-specific offsets that the semantics
        cannot explain, in the same units. It makes unseen classes harder than
        seen ones.
    nonlinearity : float, default=0.8
        Share of the variance of the class means due to the nonlinear part of
        the map: 0 gives a linear map from latent codes to features.
    within_class_spread : float, default=0.3
        Standard deviation of each sample's latent code around its class code.
    random_state : int, RandomState instance or None, default=None
        Seed of the generator; an int gives identical outputs on every call.

    Returns
    -------
    X : ndarray of shape (n_classes * n_samples_per_class, n_features)
        The features, float32, samples of all classes in random order.
    y : ndarray of shape (n_classes * n_samples_per_class,)
        Integer class labels in ``0, ..., n_classes - 1``.
    class_semantics : ClassSemantics
        The semantics of every class, labels ``0, ..., n_classes - 1``.
    unseen_classes : ndarray of shape (n_unseen,)
        The sorted unseen class labels.

    See Also
    --------
    make_zsl_from_semantics : The same features from real class semantics.

    Notes
    -----
    With :math:`L` = ``n_latent``, the generative process is:

    1. Class codes :math:`z_c \\sim \\mathcal{N}(0, I_L)`, and the unseen
       classes drawn uniformly without replacement.
    2. Semantics. The modality ``"attributes"`` is
       :math:`\\sigma(2 z_c^{(m)} P_m)`, attribute strengths in (0, 1), with
       :math:`\\sigma` the logistic function; any further modality is
       :math:`z_c^{(m)} P_m`, with :math:`P_m` a Gaussian matrix scaled by
       :math:`1/\\sqrt{L}`. With one modality, :math:`z_c^{(m)} = z_c`. With
       :math:`M > 1` modalities, latent coordinate :math:`j` is zeroed in
       :math:`z_c^{(m)}` for the modality :math:`m = (j \\bmod (M + 1)) - 1`
       (when :math:`j \\bmod (M + 1) > 0`): each modality misses some latent
       coordinates that another one sees, and the coordinates with
       :math:`j \\bmod (M + 1) = 0` are seen by all.
    3. Map. :math:`f(z) = \\sqrt{1 - \\nu} \\, z A + \\sqrt{\\nu} \\,
       \\cos(z W + b) B`, with :math:`\\nu` = ``nonlinearity``, Gaussian
       :math:`A, W, B` (scaled by :math:`1/\\sqrt{L}`, :math:`1/\\sqrt{L}`,
       :math:`\\sqrt{2/H}`), :math:`H = 2` ``n_features`` hidden units and
       :math:`b \\sim U(0, 2\\pi)`. Let :math:`s` be the mean over features
       of the standard deviation of :math:`f(z_c)` over classes.
    4. Samples. For sample :math:`i` of class :math:`c`,
       :math:`x_i = (f(z_c + \\rho \\, \\delta_i) + s \\, \\tau \\, r_c +
       s \\, \\eta \\, \\epsilon_i) / s`, with :math:`\\rho` =
       ``within_class_spread``, :math:`\\tau` = ``class_variation``,
       :math:`\\eta` = ``noise`` and :math:`\\delta_i, r_c, \\epsilon_i`
       standard Gaussian.

    The class offsets :math:`r_c` are what a model can learn for seen classes
    only: generalised zero-shot predictions lean towards seen classes. The
    cosine part makes a linear map from semantics to features (ridge
    regression) clearly worse than a nonlinear one when there are enough seen
    classes to learn it (hundreds); with the defaults, a linear baseline is
    far above chance on the unseen classes but well below 100%.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_zsl.datasets import make_zsl_classification
    >>> X, y, class_semantics, unseen_classes = make_zsl_classification(
    ...     n_classes=6, n_unseen=2, n_samples_per_class=5, random_state=0
    ... )
    >>> X.shape, X.dtype
    ((30, 64), dtype('float32'))
    >>> class_semantics
    ClassSemantics(n_classes=6, modalities={'attributes': 16})
    >>> unseen_classes
    array([1, 4])
    >>> train = ~np.isin(y, unseen_classes)
    >>> sorted(set(y[train].tolist()))
    [0, 2, 3, 5]
    """
    dims = _check_n_semantics(n_semantics)
    if n_unseen > n_classes - 2:
        raise ValueError(
            f"n_unseen={n_unseen} leaves fewer than 2 seen classes out of "
            f"n_classes={n_classes}; lower n_unseen or raise n_classes."
        )
    rng = check_random_state(random_state)
    latent = rng.standard_normal((n_classes, n_latent))
    modalities = _semantics_from_latent(latent, dims, rng)
    unseen_classes = hold_out_classes(n_classes, n_unseen, n_kept=2, random_state=rng)
    y = rng.permutation(np.repeat(np.arange(n_classes), n_samples_per_class))
    X = generate_features(
        latent,
        y,
        n_features=n_features,
        noise=noise,
        class_variation=class_variation,
        nonlinearity=nonlinearity,
        within_class_spread=within_class_spread,
        rng=rng,
    )
    class_semantics = ClassSemantics(np.arange(n_classes), modalities)
    return X, y.astype(np.int64), class_semantics, unseen_classes.astype(np.int64)


def _check_n_semantics(n_semantics) -> tuple[int, ...]:
    dims = n_semantics if isinstance(n_semantics, tuple) else (n_semantics,)
    if not dims or not all(
        isinstance(d, Integral) and not isinstance(d, bool) and d >= 1 for d in dims
    ):
        raise ValueError(
            "n_semantics must be a positive int or a non-empty tuple of positive "
            f"ints (one per modality), got {n_semantics!r}."
        )
    return tuple(int(d) for d in dims)


def _semantics_from_latent(latent, dims, rng) -> dict:
    """One matrix per modality, each a view of (part of) the latent codes."""
    n_latent = latent.shape[1]
    n_modalities = len(dims)
    modalities = {}
    for m, n_dims in enumerate(dims):
        visible = latent.copy()
        if n_modalities > 1:
            hidden = np.arange(n_latent) % (n_modalities + 1) == m + 1
            visible[:, hidden] = 0.0
        projection = rng.standard_normal((n_latent, n_dims)) / np.sqrt(n_latent)
        values = visible @ projection
        if m == 0:
            modalities["attributes"] = 1.0 / (1.0 + np.exp(-2.0 * values))
        else:
            modalities[f"modality_{m}"] = values
    return modalities


def generate_features(
    latent,
    y_ind,
    *,
    n_features,
    noise,
    class_variation,
    nonlinearity,
    within_class_spread,
    rng,
):
    """Draw float32 features of the samples ``y_ind`` from class codes ``latent``.

    ``latent`` has shape (n_classes, n_latent) and ``y_ind`` holds row indices
    into it. See the Notes of :func:`make_zsl_classification` for the process.
    """
    n_classes, n_latent = latent.shape
    n_hidden = 2 * n_features
    linear = rng.standard_normal((n_latent, n_features)) / np.sqrt(n_latent)
    weights = rng.standard_normal((n_latent, n_hidden)) / np.sqrt(n_latent)
    bias = rng.uniform(0.0, 2.0 * np.pi, size=n_hidden)
    readout = rng.standard_normal((n_hidden, n_features)) * np.sqrt(2.0 / n_hidden)
    offsets = rng.standard_normal((n_classes, n_features))

    def mapping(codes):
        nonlinear = np.cos(codes @ weights + bias) @ readout
        return (
            np.sqrt(1.0 - nonlinearity) * codes @ linear
            + np.sqrt(nonlinearity) * nonlinear
        )

    scale = float(mapping(latent).std(axis=0).mean())
    if not scale > 0:
        scale = 1.0  # a single class, or identical class codes
    codes = latent[y_ind] + within_class_spread * rng.standard_normal(
        (y_ind.size, n_latent)
    )
    X = mapping(codes) + scale * (
        class_variation * offsets[y_ind]
        + noise * rng.standard_normal((y_ind.size, n_features))
    )
    return (X / scale).astype(np.float32)
