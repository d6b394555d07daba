"""The run of ``sklearn-zsl benchmark``: every estimator on one data set.

The data set is loaded and cut once (:mod:`sklearn_zsl._benchmark.data`).
Then, for each estimator, a grid of hyperparameters is searched on
class-disjoint validation folds of the training data (never on test data), the
calibrated-stacking penalty is chosen on the same folds, the best model is
refitted on all the training data, and then scored on the test split:
zero-shot per-class top-1, generalised-ZSL seen / unseen accuracy and harmonic
mean, AUSUC, fit and predict time. Each step returns its results;
:func:`run_benchmark` gathers them into a :class:`BenchmarkResult`.

The search is a grid search written out (:func:`_search`) rather than
:class:`~sklearn.model_selection.GridSearchCV`, because besides the scores of
each fold it keeps the seen-class penalty chosen on it: a parameter, which
``GridSearchCV`` would only record, and rank, as if it were a score.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import importlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import Bunch
from sklearn.utils.parallel import Parallel, delayed

from sklearn_zsl._benchmark.data import BenchmarkTask, load_benchmark_dataset, make_task
from sklearn_zsl.metrics import (
    ausuc_score,
    gzsl_scores,
    per_class_accuracy_score,
    seen_unseen_curve,
)
from sklearn_zsl.metrics._classification import _best_penalty, _harmonic_mean
from sklearn_zsl.metrics._scorer import _final_estimator
from sklearn_zsl.model_selection._calibration import _combine_split_penalties

__all__ = [
    "ESTIMATORS",
    "SCORE_COLUMNS",
    "BenchmarkResult",
    "available_estimators",
    "run_benchmark",
]

#: Benchmark names of the estimators: (module, class name, display name).
ESTIMATORS = {
    "eszsl": ("sklearn_zsl.linear", "ESZSLClassifier", "ESZSL"),
    "sae": ("sklearn_zsl.linear", "SAEClassifier", "SAE"),
    "gfzsl": ("sklearn_zsl.generative", "GFZSLClassifier", "GFZSL"),
    "dem": ("sklearn_zsl.embedding", "DEMClassifier", "DEM"),
    "izf": ("sklearn_zsl.flow", "IZFClassifier", "IZF"),
}
#: Columns of the result table holding scores in [0, 1].
SCORE_COLUMNS = ("zsl_top1", "acc_seen", "acc_unseen", "H", "ausuc")


def available_estimators() -> dict[str, type | str]:
    """Import every benchmark estimator, or say why it cannot be.

    Returns
    -------
    estimators : dict
        Benchmark name to the estimator class, or to the import error message
        when the class cannot be imported.

    Examples
    --------
    >>> from sklearn_zsl._benchmark import available_estimators
    >>> available_estimators()["eszsl"].__name__
    'ESZSLClassifier'
    """
    found = {}
    for key, (module, name, _) in ESTIMATORS.items():
        try:
            found[key] = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as exc:
            found[key] = f"{type(exc).__name__}: {exc}"
    return found


@dataclass
class BenchmarkResult:
    """Results of :func:`run_benchmark`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per estimator that ran: the test scores (``zsl_top1``,
        ``acc_seen``, ``acc_unseen``, ``H``, ``ausuc``), ``H_uncalibrated``
        (``seen_penalty=0``), the chosen ``seen_penalty``, the validation
        ``val_H``, the times in seconds and ``best_params`` (JSON).
    curves : dict
        Estimator name to ``{"acc_unseen", "acc_seen"}`` lists: the test
        seen-unseen curve.
    dataset : dict
        Name, sizes, ``synthetic_features`` and ``DESCR`` of the data set.
    settings : dict
        The arguments of the run.
    failures : dict
        Estimator name to the error that stopped it.
    """

    table: pd.DataFrame
    curves: dict
    dataset: dict
    settings: dict
    failures: dict = field(default_factory=dict)

    @property
    def synthetic_features(self) -> bool:
        """Whether the features of the data set were generated."""
        return bool(self.dataset["synthetic_features"])


@dataclass
class _Outcome:
    """What benchmarking one estimator gave: a row and a curve, or an error."""

    name: str
    row: dict | None = None
    curve: dict | None = None
    error: str | None = None


def _progress_printer(message):
    print(message, file=sys.stderr, flush=True)


def run_benchmark(
    dataset: str | Bunch = "synthetic",
    estimators: Sequence[str] | None = None,
    *,
    data_dir: str | None = None,
    semantics_from: str | None = None,
    quick: bool = False,
    device: str = "cpu",
    n_jobs: int | None = None,
    threads: int | None = None,
    random_state: int = 0,
    progress: Callable[[str], None] | None = _progress_printer,
) -> BenchmarkResult:
    """Select, fit and test zero-shot estimators on one data set.

    Read more in the :ref:`User Guide <benchmark>`.

    Parameters
    ----------
    dataset : str or Bunch, default="synthetic"
        ``"synthetic"``, an xlsa17 name (with ``data_dir`` or
        ``semantics_from``), or a Bunch laid out like
        :func:`~sklearn_zsl.datasets.load_xlsa17`'s with ``validation_folds``
        and ``synthetic_features``.
    estimators : sequence of {"eszsl", "sae", "gfzsl", "dem", "izf"}, default=None
        Estimators to run; ``None`` runs every importable one.
    data_dir, semantics_from : str, default=None
        Where real files are read (see ``load_benchmark_dataset``).
    quick : bool, default=False
        Smaller grids, fewer epochs and a smaller synthetic problem.
    device : str, default="cpu"
        ``device`` of the deep estimators (DEM, IZF).
    n_jobs : int, default=None
        ``n_jobs`` of the grid searches.
    threads : int, default=None
        Threads of torch and of the BLAS of this process during the run,
        restored after. ``None`` means 1 (why: :ref:`User Guide
        <benchmark>`); use ``n_jobs`` to fit candidates in parallel instead.
        Workers of ``n_jobs`` get their share of the cores from joblib.
    random_state : int, default=0
        Seed of the data, the folds and the estimators.
    progress : callable or None, default=print to stderr
        Called with one line per estimator and stage; ``None`` is silent.

    Returns
    -------
    result : BenchmarkResult
        The table of scores and times, the seen-unseen curves and the
        description of the data set.

    Examples
    --------
    >>> from sklearn_zsl._benchmark import run_benchmark
    >>> result = run_benchmark(estimators=["eszsl"], quick=True, progress=None)
    >>> result.table["estimator"].tolist(), result.synthetic_features
    (['ESZSL'], True)
    """
    log = progress or (lambda message: None)
    start = time.perf_counter()
    classes = _check_estimators(estimators)
    if isinstance(dataset, str):
        data = _load(dataset, data_dir, semantics_from, quick, random_state, log)
    else:
        data = dataset
    task = make_task(data, random_state=random_state)
    log(f"[data] {task.info['summary']}")
    threads = 1 if threads is None else threads
    options = {"quick": quick, "device": device, "n_jobs": n_jobs, "seed": random_state}
    with _threads(threads):
        outcomes = [
            _run_estimator(key, cls, task, options, log, start)
            for key, cls in classes.items()
        ]
    settings = {
        "estimators": [ESTIMATORS[key][2] for key in classes],
        "quick": quick,
        "device": device,
        "n_jobs": n_jobs,
        "threads": threads,
        "random_state": random_state,
        "n_validation_folds": len(task.cv),
        "total_time_s": time.perf_counter() - start,
    }
    return BenchmarkResult(
        table=pd.DataFrame([o.row for o in outcomes if o.error is None]),
        curves={o.name: o.curve for o in outcomes if o.error is None},
        dataset=task.info,
        settings=settings,
        failures={o.name: o.error for o in outcomes if o.error is not None},
    )


def _check_estimators(estimators):
    found = available_estimators()
    if estimators is None:
        return {key: cls for key, cls in found.items() if not isinstance(cls, str)}
    keys = [str(key).lower() for key in estimators]
    unknown = sorted(set(keys) - set(ESTIMATORS))
    if unknown or not keys:
        raise ValueError(
            f"Unknown estimators {unknown}; choose among {list(ESTIMATORS)}."
        )
    missing = {key: found[key] for key in keys if isinstance(found[key], str)}
    if missing:
        raise ValueError(f"Estimators not available in this install: {missing}.")
    return {key: found[key] for key in dict.fromkeys(keys)}


def _load(dataset, data_dir, semantics_from, quick, random_state, log) -> Bunch:
    """Load the named data set, saying which one on the progress lines."""
    if semantics_from is not None:
        log(f"[data] synthetic features from the semantics of {semantics_from}")
    elif dataset.lower() == "synthetic":
        log("[data] generating the synthetic data set")
    else:
        log(f"[data] loading xlsa17 {dataset} from {data_dir or 'XLSA17_ROOT'}")
    return load_benchmark_dataset(
        dataset,
        data_dir=data_dir,
        semantics_from=semantics_from,
        quick=quick,
        random_state=random_state,
    )


@contextlib.contextmanager
def _threads(n_threads):
    import torch
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        with threadpool_limits(n_threads):
            yield
    finally:
        torch.set_num_threads(previous)


def _run_estimator(key, cls, task, options, log, start) -> _Outcome:
    """Benchmark one estimator; its row and curve, or the error that stopped it."""
    name = ESTIMATORS[key][2]
    try:
        row, curve = _benchmark_one(key, cls, task, **options, log=log)
    except Exception as exc:  # one failing estimator must not stop the others
        error = f"{type(exc).__name__}: {exc}"
        log(f"[{name}] FAILED: {error}")
        return _Outcome(name, error=error)
    log(
        f"[{name}] done: ZSL {row['zsl_top1']:.3f}, H {row['H']:.3f}, "
        f"AUSUC {row['ausuc']:.3f} ({time.perf_counter() - start:.1f} s so far)"
    )
    return _Outcome(name, row=row, curve=curve)


def _benchmark_one(key, cls, task: BenchmarkTask, *, quick, device, n_jobs, seed, log):
    """Search, calibrate, refit and test one estimator; a row and a curve."""
    name = ESTIMATORS[key][2]
    model, grid = _make_search_space(
        key,
        cls,
        task.class_semantics,
        task.X_train.shape[1],
        quick=quick,
        device=device,
        seed=seed,
    )
    n_candidates = int(np.prod([len(values) for values in grid.values()]))
    n_folds = len(task.cv)
    log(
        f"[{name}] grid search: {n_candidates} candidates x {n_folds} "
        f"class-disjoint validation folds = {n_candidates * n_folds} fits"
    )
    search = _search(model, grid, task.X_train, task.y_train, task.cv, n_jobs)
    # the rule of seen_penalty="auto": the median of the folds with a say
    gamma = _combine_split_penalties(search.seen_penalties)
    log(
        f"[{name}] best {search.best_params} (validation H "
        f"{search.scores['H']:.3f}), seen penalty {gamma:.4g}; refitted on "
        f"{task.y_train.size:,} samples in {search.refit_time:.1f} s"
    )
    log(f"[{name}] testing")
    scores, curve, times = _test_scores(search.best_estimator, task, gamma)
    row = {
        "estimator": name,
        **scores,
        "seen_penalty": gamma,
        "val_H": search.scores["H"],
        "val_zsl": search.scores["zsl"],
        "search_time_s": search.search_time,
        "fit_time_s": search.refit_time,
        **times,
        "n_candidates": n_candidates,
        "best_params": json.dumps(search.best_params, default=_jsonable),
    }
    return row, curve


def _log_grid(low, high):
    return [float(10.0**k) for k in range(low, high + 1)]


def _make_search_space(key, cls, semantics, n_features, *, quick, device, seed):
    """The estimator (or pipeline) and its hyperparameter grid.

    Every model is searched with ``seen_penalty=0``: the penalty is chosen on
    the same folds, from the raw scores, by the rule of ``seen_penalty="auto"``.
    """
    if key == "eszsl":
        # ESZSL has no intercept and its best regularisation depends on the
        # scale of X: standardise the features first.
        model = Pipeline(
            [
                ("scale", StandardScaler()),
                ("clf", cls(class_semantics=semantics, seen_penalty=0.0)),
            ]
        )
        grid = {
            "clf__alpha": [10.0, 1000.0] if quick else _log_grid(0, 4),
            "clf__beta": [0.1, 1.0, 10.0] if quick else _log_grid(-2, 2),
        }
    elif key == "sae":
        model = cls(class_semantics=semantics, seen_penalty=0.0)
        grid = {"alpha": [0.01, 1.0, 100.0] if quick else _log_grid(-3, 3)}
        if not quick:
            grid["space"] = ["semantic", "visual"]
    elif key == "gfzsl":
        # alpha stays "auto" (relative to the scale of the semantics): the
        # head and the covariance model matter more (benchmarks/README.md)
        model = cls(class_semantics=semantics, seen_penalty=0.0, random_state=seed)
        grid = {"covariance": ["pooled", "diag"]}
        if not quick:
            grid["classifier"] = ["bayes", "softmax"]
    elif key == "dem":
        width = int(min(1024, max(128, 2 * n_features)))
        model = cls(
            class_semantics=semantics,
            hidden_layer_sizes=(width,),
            max_epochs=60 if quick else 200,
            device=device,
            seen_penalty=0.0,
            random_state=seed,
        )
        grid = {"alpha": [1e-4, 1e-2] if quick else [1e-4, 1e-3, 1e-2]}
    else:  # izf
        model = cls(
            class_semantics=semantics,
            hidden_size=128 if quick else 256,
            max_epochs=40 if quick else 60,
            device=device,
            classifier="softmax",
            seen_penalty=0.0,
            random_state=seed,
        )
        # One candidate when quick: the folds still choose the seen penalty.
        # The folds choose the head too, as classifier="auto" would inside
        # each fit (at the cost of one more flow fit per candidate).
        grid = {"mmd_weight": [1.0] if quick else [0.0, 1.0]}
        if not quick:
            grid["classifier"] = ["softmax", "gaussian"]
    return model, grid


@dataclass
class _SearchResult:
    """What :func:`_search` found: the best candidate, refitted, and its folds.

    ``scores`` are the best candidate's mean validation scores, and
    ``seen_penalties`` the penalty chosen on each of its folds.
    """

    best_params: dict
    best_estimator: object
    scores: dict
    seen_penalties: list
    search_time: float
    refit_time: float


def _search(model, grid, X, y, cv, n_jobs) -> _SearchResult:
    """Grid search on ``cv`` by mean validation ``H``, then refit on all data.

    Every candidate of ``grid`` is fitted on the training part of every fold
    of ``cv`` (in parallel, through joblib as ``GridSearchCV`` does) and
    scored by :func:`_validate`. The candidate of highest mean ``H`` (the
    first among equals) is refitted on ``X, y``.
    """
    tic = time.perf_counter()
    candidates = list(ParameterGrid(grid))
    folds = Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_validate)(model, params, X, y, train, val)
        for params in candidates
        for train, val in cv
    )
    folds = [folds[k : k + len(cv)] for k in range(0, len(folds), len(cv))]
    mean_scores = [
        {key: float(np.mean([scores[key] for scores, _ in runs])) for key in runs[0][0]}
        for runs in folds
    ]
    mean_h = np.array([scores["H"] for scores in mean_scores])
    best = int(np.argmax(np.where(np.isnan(mean_h), -np.inf, mean_h)))
    refit_tic = time.perf_counter()
    best_estimator = clone(model).set_params(**candidates[best]).fit(X, y)
    refit_time = time.perf_counter() - refit_tic
    return _SearchResult(
        best_params=candidates[best],
        best_estimator=best_estimator,
        scores=mean_scores[best],
        seen_penalties=[penalty for _, penalty in folds[best]],
        search_time=time.perf_counter() - tic,
        refit_time=refit_time,
    )


def _fit_and_validate(model, params, X, y, train, val):
    """Fit a clone of ``model`` with ``params`` on ``train``; validate on ``val``."""
    estimator = clone(model).set_params(**params).fit(X[train], y[train])
    return _validate(estimator, X[val], y[val])


def _validate(estimator, X, y_true) -> tuple[dict, float]:
    """Validation scores of a fitted estimator, and the seen penalty it needs.

    Both come from one call to ``decision_function``, made with the
    estimator's own penalty (0 while searching).

    Returns
    -------
    scores : dict
        ``{"zsl", "ausuc", "H"}``, each higher for a better model: zero-shot
        per-class accuracy among the unseen classes present, the area under
        the seen-unseen curve, and the harmonic mean at the seen-class penalty
        that maximises it (calibrated stacking tuned on validation data).
    seen_penalty : float or None
        That penalty: a parameter chosen on the fold, not a score; None when
        no penalty gives a positive ``H`` (the fold has no say).
    """
    final = _final_estimator(estimator)
    classes, seen_classes = final.classes_, final.seen_classes_
    y_true = np.asarray(y_true)
    scores = np.asarray(estimator.decision_function(X), dtype=np.float64)
    is_unseen = ~np.isin(y_true, seen_classes)
    candidates = np.isin(classes, np.unique(y_true[is_unseen]))
    y_zsl = classes[np.argmax(np.where(candidates, scores[is_unseen], -np.inf), 1)]
    curve_args = {"classes": classes, "seen_classes": seen_classes}
    gammas, acc_seen, acc_unseen = seen_unseen_curve(y_true, scores, **curve_args)
    validation_scores = {
        "zsl": per_class_accuracy_score(y_true[is_unseen], y_zsl),
        "ausuc": ausuc_score(y_true, scores, **curve_args),
        "H": float(np.max(_harmonic_mean(acc_seen, acc_unseen))),
    }
    return validation_scores, _best_penalty(gammas, acc_seen, acc_unseen)


def _test_scores(model, task: BenchmarkTask, gamma):
    """Test scores, seen-unseen curve and prediction times of a fitted model.

    ``gamma`` is set as the model's seen penalty for the calibrated scores.
    """
    final = _final_estimator(model)
    X_test, y_test = task.X_test, task.y_test
    seen_args = {"classes": final.classes_, "seen_classes": final.seen_classes_}

    final.set_params(seen_penalty=0.0)
    h_uncalibrated = gzsl_scores(
        y_test, model.predict(X_test), seen_classes=final.seen_classes_
    )["H"]
    final.set_params(seen_penalty=gamma)
    tic = time.perf_counter()
    y_pred = model.predict(X_test)
    predict_time = time.perf_counter() - tic
    scores = model.decision_function(X_test)

    is_unseen = np.isin(y_test, final.unseen_classes_)
    candidates = np.isin(final.classes_, final.unseen_classes_)
    y_zsl = final.classes_[
        np.argmax(np.where(candidates, scores[is_unseen], -np.inf), axis=1)
    ]
    _, acc_seen, acc_unseen = seen_unseen_curve(y_test, scores, **seen_args)
    test_scores = {
        "zsl_top1": per_class_accuracy_score(y_test[is_unseen], y_zsl),
        **gzsl_scores(y_test, y_pred, seen_classes=final.seen_classes_),
        "ausuc": ausuc_score(y_test, scores, **seen_args),
        "H_uncalibrated": h_uncalibrated,
    }
    curve = {"acc_unseen": acc_unseen.tolist(), "acc_seen": acc_seen.tolist()}
    times = {
        "predict_time_s": predict_time,
        "predict_us_per_sample": 1e6 * predict_time / max(1, y_test.size),
    }
    return test_scores, curve, times


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | np.ndarray):
        return list(value)
    return str(value)
