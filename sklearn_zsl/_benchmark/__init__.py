"""The benchmark behind ``sklearn-zsl benchmark``: data, run and report.

A data set goes through three modules, in this order:

- :mod:`~sklearn_zsl._benchmark.data` loads or generates it, describes it and
  cuts it into trainval samples with generalised-ZSL validation folds and test
  samples;
- :mod:`~sklearn_zsl._benchmark.run` searches, calibrates, refits and tests
  every estimator on it and returns a :class:`BenchmarkResult`;
- :mod:`~sklearn_zsl._benchmark.report` prints that result and writes it as
  CSV, JSON and plots.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_zsl._benchmark.data import (
    BenchmarkTask,
    describe_dataset,
    gzsl_validation_folds,
    load_benchmark_dataset,
    make_task,
)
from sklearn_zsl._benchmark.report import FILE_NAMES, format_table, write_results
from sklearn_zsl._benchmark.run import (
    ESTIMATORS,
    SCORE_COLUMNS,
    BenchmarkResult,
    available_estimators,
    run_benchmark,
)

__all__ = [
    "ESTIMATORS",
    "FILE_NAMES",
    "SCORE_COLUMNS",
    "BenchmarkResult",
    "BenchmarkTask",
    "available_estimators",
    "describe_dataset",
    "format_table",
    "gzsl_validation_folds",
    "load_benchmark_dataset",
    "make_task",
    "run_benchmark",
    "write_results",
]
