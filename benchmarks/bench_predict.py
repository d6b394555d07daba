"""Prediction speed and memory of DEMClassifier.

1. Speed: ``predict`` on 10,000 samples of 2,048 features against 200 class
   prototypes, over the time of the bare matrix product it needs
   (``X @ prototypes_.T`` in float32, NumPy, same threads). Goal: at most 2.
2. Memory: ``predict`` on 1,000,000 samples. ``X`` is a float32
   :class:`numpy.memmap` on disk (8 GB with 2,048 features), so what is
   measured is what ``predict`` itself allocates: the peak of the memory
   traced by :mod:`tracemalloc` (NumPy's allocations included) and the peak
   growth of the process's anonymous resident memory (``RssAnon``, sampled
   every 5 ms; torch's allocations included). Goal: below 2 GB.

Run::

    python benchmarks/bench_predict.py
    python benchmarks/bench_predict.py --big-rows 0   # speed only

The features and the model are synthetic (a DEM trained for one epoch): the
cost of prediction does not depend on how well the model was trained.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
import shutil
import tempfile
import threading
import time
import tracemalloc

import numpy as np

from sklearn_zsl import ClassSemantics
from sklearn_zsl.embedding import DEMClassifier


def fitted_model(n_classes, n_features, metric, random_state=0):
    """A DEM with ``n_classes`` prototypes, trained briefly on synthetic data."""
    rng = np.random.RandomState(random_state)
    semantics = ClassSemantics(np.arange(n_classes), rng.rand(n_classes, 64))
    y = np.repeat(np.arange(n_classes - 50), 4)
    X = rng.rand(y.size, n_features).astype(np.float32)
    clf = DEMClassifier(
        hidden_layer_sizes=(64,),
        max_epochs=1,
        early_stopping=False,
        metric=metric,
        temperature=1.0,
        random_state=random_state,
    )
    return clf.fit(X, y, class_semantics=semantics)


def median_time(func, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def speed(n_samples, n_features, n_classes, repeats):
    rng = np.random.default_rng(0)
    X = rng.random((n_samples, n_features), dtype=np.float32)
    print(
        f"speed: predict on {n_samples} x {n_features} float32 (synthetic features), "
        f"{n_classes} classes, median of {repeats}"
    )
    for metric in ("euclidean", "cosine"):
        clf = fitted_model(n_classes, n_features, metric)
        prototypes = clf.prototypes_
        clf.predict(X[:10])  # warm-up
        bare = median_time(lambda p=prototypes: X @ p.T, repeats)
        full = median_time(lambda c=clf: c.predict(X), repeats)
        scores = median_time(lambda c=clf: c.decision_function(X), repeats)
        print(
            f"  {metric:9s}: bare product {bare * 1e3:7.1f} ms, predict "
            f"{full * 1e3:7.1f} ms (ratio {full / bare:.2f}, goal <= 2), "
            f"decision_function {scores * 1e3:7.1f} ms (ratio {scores / bare:.2f})"
        )


def _rss_anon_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    return 0


class _PeakSampler(threading.Thread):
    """Sample the anonymous resident memory until stopped; keep the peak."""

    def __init__(self, interval=0.005):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = _rss_anon_bytes()
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            self.peak = max(self.peak, _rss_anon_bytes())
            time.sleep(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join()
        self.peak = max(self.peak, _rss_anon_bytes())


def memory(n_samples, n_features, n_classes):
    clf = fitted_model(n_classes, n_features, "euclidean")
    folder = tempfile.mkdtemp(prefix="bench_predict_")
    try:
        path = os.path.join(folder, "X.f32")
        X = np.memmap(path, dtype=np.float32, mode="w+", shape=(n_samples, n_features))
        rng = np.random.default_rng(0)
        for start in range(0, n_samples, 16384):
            stop = min(start + 16384, n_samples)
            X[start:stop] = rng.random((stop - start, n_features), dtype=np.float32)
        X.flush()
        del X
        X = np.memmap(path, dtype=np.float32, mode="r", shape=(n_samples, n_features))
        print(
            f"memory: predict on {n_samples} x {n_features} float32 "
            f"({X.nbytes / 1e9:.1f} GB memmap on disk, synthetic features), "
            f"{n_classes} classes"
        )
        baseline = _rss_anon_bytes()
        sampler = _PeakSampler()
        sampler.start()
        tracemalloc.start()
        start = time.perf_counter()
        y_pred = clf.predict(X)
        elapsed = time.perf_counter() - start
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sampler.stop()
        growth = sampler.peak - baseline
        output = y_pred.nbytes
        print(
            f"  predict took {elapsed:.1f} s; peak traced allocations "
            f"{traced_peak / 1e6:.0f} MB (of which the {output / 1e6:.0f} MB of "
            f"labels returned); peak growth of anonymous RSS {growth / 1e6:.0f} MB "
            f"(goal < 2000 MB)"
        )
        del X
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--features", type=int, default=2048)
    parser.add_argument("--classes", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--big-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    speed(args.rows, args.features, args.classes, args.repeats)
    if args.big_rows:
        memory(args.big_rows, args.features, args.classes)


if __name__ == "__main__":
    main()
