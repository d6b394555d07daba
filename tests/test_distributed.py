"""Distributed hyperparameter search through joblib's dask backend.

A loopback :class:`~distributed.LocalCluster` of two worker processes runs the
fits of :class:`~sklearn.model_selection.GridSearchCV` and
:func:`~sklearn.model_selection.cross_validate`; the results must equal those
of a sequential run. Needs the ``distributed`` extra.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from joblib import parallel_config
from numpy.testing import assert_allclose
from sklearn.model_selection import GridSearchCV, cross_validate

from sklearn_zsl import ESZSLClassifier
from sklearn_zsl.datasets import make_zsl_classification
from sklearn_zsl.metrics import gzsl_scorer, zsl_scorer
from sklearn_zsl.model_selection import GZSLShuffleSplit, ZSLKFold

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    """A client of two single-threaded worker processes bound to 127.0.0.1."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def data():
    X, y, semantics, unseen = make_zsl_classification(
        n_classes=12,
        n_unseen=3,
        n_samples_per_class=15,
        n_features=16,
        n_semantics=6,
        random_state=0,
    )
    seen = ~np.isin(y, unseen)
    return X[seen], y[seen], semantics


def _on_cluster(client, function):
    """Run ``function`` under the dask backend; return its result and the
    workers that ran its tasks (joblib batches fits into fewer tasks)."""
    with distributed.get_task_stream(client) as stream:
        with parallel_config(backend="dask"):
            result = function()
    workers = {task["worker"] for task in stream.data}
    assert workers, "no task ran on the cluster"
    assert workers <= set(client.scheduler_info()["workers"])
    return result, workers


def test_cluster_is_local_and_workers_use_one_thread(client):
    """Check the loopback binding and that no worker oversubscribes cores."""
    assert client.scheduler.address.startswith("tcp://127.0.0.1:")
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    assert all(address.startswith("tcp://127.0.0.1:") for address in workers)

    def torch_threads():
        import os

        import torch

        return torch.get_num_threads(), os.environ.get("OMP_NUM_THREADS")

    assert set(client.run(torch_threads).values()) == {(1, "1")}


def test_grid_search_on_dask_equals_sequential(client, data):
    """Check that GridSearchCV gives the sequential results on the cluster,
    with class semantics passed to fit reaching the workers intact."""
    X, y, semantics = data
    search = GridSearchCV(
        ESZSLClassifier(),
        {"alpha": [0.1, 1.0, 10.0], "beta": [0.1, 1.0]},
        scoring=zsl_scorer,
        cv=ZSLKFold(n_splits=3),
    )
    sequential = GridSearchCV(**search.get_params(deep=False))
    sequential.fit(X, y, class_semantics=semantics)
    search, _ = _on_cluster(client, lambda: search.fit(X, y, class_semantics=semantics))
    assert search.best_params_ == sequential.best_params_
    assert_allclose(
        search.cv_results_["mean_test_score"], sequential.cv_results_["mean_test_score"]
    )
    assert_allclose(
        search.best_estimator_.coef_, sequential.best_estimator_.coef_, rtol=1e-10
    )


def test_cross_validate_deep_model_on_dask_equals_sequential(client, data):
    """Check that a seeded DEM cross-validates alike on the cluster, whose
    workers unpickle its skorch net and return it fitted."""
    embedding = pytest.importorskip("sklearn_zsl.embedding")
    X, y, semantics = data
    clf = embedding.DEMClassifier(
        semantics,
        hidden_layer_sizes=(16,),
        max_epochs=5,
        batch_size=32,
        early_stopping=False,
        random_state=0,
    )
    cv = GZSLShuffleSplit(n_splits=2, random_state=0)
    kwargs = {"cv": cv, "scoring": gzsl_scorer, "return_estimator": True}
    sequential = cross_validate(clf, X, y, **kwargs)
    results, _ = _on_cluster(client, lambda: cross_validate(clf, X, y, **kwargs))
    for key in ("test_acc_seen", "test_acc_unseen", "test_H"):
        assert_allclose(results[key], sequential[key], rtol=1e-6)
    for fitted, expected in zip(
        results["estimator"], sequential["estimator"], strict=True
    ):
        assert fitted.device_ == "cpu"
        assert_allclose(fitted.prototypes_, expected.prototypes_, rtol=1e-5)


def test_benchmark_runner_on_dask_equals_sequential(client):
    """Check that the grid searches of the benchmark run on the cluster and
    select and score as a sequential run does."""
    from sklearn_zsl._benchmark import SCORE_COLUMNS, run_benchmark

    kwargs = {"estimators": ["eszsl"], "quick": True, "progress": None}
    sequential = run_benchmark(**kwargs).table
    result, _ = _on_cluster(client, lambda: run_benchmark(**kwargs))
    columns = ["best_params", "seen_penalty", *SCORE_COLUMNS]
    assert result.table[columns].equals(sequential[columns])


@pytest.fixture(scope="module")
def ray_backend():
    """A local Ray instance bound to 127.0.0.1, registered as joblib backend."""
    ray = pytest.importorskip("ray")
    from ray.util.joblib import register_ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        # Ray binds to the machine's address by default; keep it on loopback.
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
    )
    register_ray()
    yield ray
    ray.shutdown()


def test_grid_search_on_ray_equals_sequential(ray_backend, data):
    """Check that Ray's joblib backend runs a search like a sequential run, in
    workers that give torch one thread each."""

    def torch_threads():
        import torch

        return torch.get_num_threads()

    task = ray_backend.remote(num_cpus=1)(torch_threads)
    assert ray_backend.get(task.remote()) == 1
    X, y, semantics = data
    search = GridSearchCV(
        ESZSLClassifier(semantics),
        {"alpha": [0.1, 1.0, 10.0]},
        scoring=zsl_scorer,
        cv=ZSLKFold(n_splits=3),
    )
    sequential = GridSearchCV(**search.get_params(deep=False)).fit(X, y)
    with parallel_config(backend="ray", n_jobs=2):
        search.fit(X, y)
    assert search.best_params_ == sequential.best_params_
    assert_allclose(
        search.cv_results_["mean_test_score"], sequential.cv_results_["mean_test_score"]
    )
