"""Tests of the ``sklearn-zsl benchmark`` command and its runner."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import scipy.io
import torch

from sklearn_zsl._benchmark import (
    SCORE_COLUMNS,
    gzsl_validation_folds,
    load_benchmark_dataset,
)
from sklearn_zsl.cli import main
from sklearn_zsl.datasets import make_zsl_classification

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FILES = ("results.csv", "results.json", "seen_unseen_curves.png", "harmonic_mean.png")


def _run(tmp_path, *args, estimators="eszsl,sae"):
    """Run the quick benchmark in-process; return its status and output folder."""
    output = tmp_path / "out"
    argv = ["benchmark", "--quick", "--estimators", estimators]
    status = main([*argv, "--output", str(output), "--quiet", *args])
    return status, output


def _check_outputs(output, estimators):
    for name in FILES:
        assert (output / name).is_file(), f"{name} not written"
    for name in FILES[2:]:
        assert (output / name).read_bytes()[:8] == PNG_MAGIC
    table = pd.read_csv(output / "results.csv")
    assert table["estimator"].tolist() == estimators
    values = table[list(SCORE_COLUMNS)].to_numpy()
    assert np.all((values >= 0) & (values <= 1)), values
    # chance level of ZSL on 10 unseen classes is 0.1: the models learnt
    assert np.all(table["zsl_top1"] > 0.2)
    assert np.all(table[["fit_time_s", "predict_time_s"]].to_numpy() >= 0)
    document = json.loads((output / "results.json").read_text())
    assert [r["estimator"] for r in document["results"]] == estimators
    for name in estimators:
        curve = document["curves"][name]
        assert curve["acc_unseen"][0] == 0 and curve["acc_seen"][-1] == 0
        assert np.all(np.diff(curve["acc_unseen"]) >= 0)
    return table, document


def test_quick_synthetic_benchmark_writes_table_and_plots(tmp_path, capsys):
    """Check that the default quick run prints its table and writes every file."""
    status, output = _run(tmp_path)
    assert status == 0
    printed = capsys.readouterr().out
    assert "synthetic features" in printed
    assert "SYNTHETIC FEATURES" in printed
    for heading in ("ZSL top-1", "GZSL S", "GZSL U", "GZSL H", "AUSUC", "fit s"):
        assert heading in printed
    table, document = _check_outputs(output, ["ESZSL", "SAE"])
    assert (table["features"] == "synthetic features").all()
    assert document["features"] == "synthetic features"
    assert document["dataset"]["synthetic_features"] is True
    assert document["settings"]["n_validation_folds"] == 3
    # the printed table shows the numbers of the CSV
    assert f"{table.loc[0, 'H']:.3f}" in printed


def test_progress_lines_on_stderr(tmp_path, capsys):
    """Check that progress is one line per estimator and stage, on stderr."""
    main(["benchmark", "--quick", "--estimators", "sae", "-o", str(tmp_path)])
    progress = capsys.readouterr().err.splitlines()
    stages = [line.split("]")[1].split()[0] for line in progress if line[:5] == "[SAE]"]
    assert stages == ["grid", "best", "testing", "done:"]


def test_same_seed_same_results(tmp_path):
    """Check that a seed gives identical scores and another seed other data."""
    columns = ["estimator", "seen_penalty", "best_params", *SCORE_COLUMNS]
    tables = []
    for k, seed in enumerate(["3", "3", "4"]):
        main(
            [
                "benchmark",
                "--quick",
                "--estimators",
                "sae",
                "--random-state",
                seed,
                "-q",
                "-o",
                str(tmp_path / str(k)),
            ]
        )
        tables.append(pd.read_csv(tmp_path / str(k) / "results.csv")[columns])
    pd.testing.assert_frame_equal(tables[0], tables[1])
    assert not tables[0].equals(tables[2])


def test_validation_folds_never_touch_test_samples():
    """Check that the selection folds lie in trainval and are generalised ZSL."""
    data = load_benchmark_dataset("synthetic", quick=True, random_state=0)
    folds = gzsl_validation_folds(data.target, data.validation_folds, random_state=0)
    test = np.concatenate([data.test_seen_indices, data.test_unseen_indices])
    assert len(folds) == 3
    for train, val in folds:
        assert np.intersect1d(np.concatenate([train, val]), test).size == 0
        assert np.intersect1d(train, val).size == 0
        train_classes = np.unique(data.target[train])
        val_classes = np.unique(data.target[val])
        held_out = np.setdiff1d(val_classes, train_classes)
        # unseen validation classes and held-out samples of training classes
        assert 0 < held_out.size < val_classes.size
        assert np.array_equal(np.union1d(train_classes, held_out), data.seen_classes)


def test_semantics_from_real_att_splits(tmp_path, capsys, shared_zsl_dir):
    """Check the semi-synthetic data set from CUB's real semantics and split."""
    path = os.path.join(shared_zsl_dir, "xlsa17", "CUB", "att_splits.mat")
    status, output = _run(tmp_path, "--semantics-from", path, estimators="sae")
    assert status == 0
    printed = capsys.readouterr().out
    assert "CUB (synthetic features): 200 classes (150 seen, 50 unseen)" in printed
    document = json.loads((output / "results.json").read_text())
    assert document["dataset"]["n_features"] == 64
    assert document["dataset"]["n_test_unseen"] == 2967
    assert "SYNTHETIC" in document["dataset"]["DESCR"]


def _write_fake_xlsa17(root, name="TOY"):
    """A tiny dataset in the xlsa17 format: 9 classes, 3 unseen, 2 folds."""
    X, y, semantics, unseen = make_zsl_classification(
        9, 3, 20, n_features=12, n_semantics=6, random_state=0
    )
    names = np.array([f"class_{label}" for label in semantics.labels])
    folder = root / name
    folder.mkdir(parents=True)
    cell = np.empty((names.size, 1), dtype=object)
    cell[:, 0] = [np.array([n]) for n in names]
    rng = np.random.RandomState(0)
    positions = np.arange(y.size)
    is_unseen = np.isin(y, unseen)
    test_seen = rng.permutation(positions[~is_unseen])[: int(0.2 * (~is_unseen).sum())]
    trainval = np.setdiff1d(positions[~is_unseen], test_seen)
    scipy.io.savemat(
        folder / "att_splits.mat",
        {
            "allclasses_names": cell,
            "att": semantics.to_numpy().T,
            "trainval_loc": trainval[:, None] + 1,
            "test_seen_loc": np.sort(test_seen)[:, None] + 1,
            "test_unseen_loc": positions[is_unseen][:, None] + 1,
        },
    )
    scipy.io.savemat(
        folder / "res101.mat", {"features": X.T, "labels": (y + 1)[:, None]}
    )
    seen_names, unseen_names = names[~np.isin(semantics.labels, unseen)], names[unseen]
    lists = {
        "allclasses.txt": names,
        "trainvalclasses.txt": seen_names,
        "testclasses.txt": unseen_names,
        "trainclasses1.txt": seen_names[2:],
        "valclasses1.txt": seen_names[:2],
        "trainclasses2.txt": seen_names[:4],
        "valclasses2.txt": seen_names[4:],
    }
    for file_name, classes in lists.items():
        (folder / file_name).write_text("\n".join(classes) + "\n")
    return folder


@pytest.mark.parametrize("from_environment", [False, True])
def test_real_xlsa17_features_from_data_dir(
    tmp_path, capsys, monkeypatch, from_environment
):
    """Check a run on xlsa17-format files, their split and validation folds."""
    root = tmp_path / "xlsa17"
    _write_fake_xlsa17(root)
    if from_environment:
        monkeypatch.setenv("XLSA17_ROOT", str(root))
        args = ["--dataset", "toy"]
    else:
        monkeypatch.delenv("XLSA17_ROOT", raising=False)
        args = ["--dataset", "TOY", "--data-dir", str(root)]
    status, output = _run(tmp_path, *args)
    assert status == 0
    printed = capsys.readouterr().out
    assert "TOY (real features): 9 classes (6 seen, 3 unseen), 12 features" in printed
    assert "synthetic" not in printed.lower()
    table = pd.read_csv(output / "results.csv")
    assert (table["features"] == "real features").all()
    document = json.loads((output / "results.json").read_text())
    # the dataset's own two folds, not three generated ones
    assert document["settings"]["n_validation_folds"] == 2
    assert document["dataset"]["n_test_unseen"] == 60


@pytest.mark.parametrize(
    "args, err_msg",
    [
        (["--estimators", "eszsl,foo"], "unknown estimator(s) foo"),
        (["--estimators", ""], "unknown estimator(s) ''"),
        (["--n-jobs", "0"], "expected a non-zero integer"),
        (["--random-state", "-1"], "expected an integer in [0, 2**32)"),
        (["--threads", "0"], "expected a positive integer"),
        (["--data-dir", "somewhere"], "--data-dir reads real xlsa17 features"),
        (["--dataset", "CUB"], "give --data-dir ROOT or set XLSA17_ROOT"),
        (
            ["--semantics-from", "a.mat", "--data-dir", "b"],
            "--semantics-from (synthetic features from real semantics) and "
            "--data-dir (real features) exclude each other",
        ),
        (["--semantics-from", "missing/att_splits.mat"], "does not exist"),
        (["--dataset", "CUB", "--data-dir", "missing"], "No dataset folder 'CUB'"),
        (["--device", "tpu", "--estimators", "dem"], "--device: Unknown device"),
        (["--device", "gpu", "--estimators", "eszsl"], "--device: Unknown device"),
        (["--output", " "], "--output is empty"),
    ],
)
def test_bad_arguments_are_usage_errors(tmp_path, capsys, monkeypatch, args, err_msg):
    """Check that wrong arguments exit with status 2 and a clear message."""
    monkeypatch.delenv("XLSA17_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as info:
        main(["benchmark", "--quick", *args])
    assert info.value.code == 2
    stderr = capsys.readouterr().err
    assert "sklearn-zsl benchmark: error:" in stderr
    assert err_msg in stderr
    assert not (tmp_path / "sklearn_zsl_benchmark").exists()


def test_command_is_required(capsys):
    """Check that ``sklearn-zsl`` without a command is a usage error."""
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "required: COMMAND" in capsys.readouterr().err


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
def test_cuda_without_gpu_is_a_usage_error(capsys):
    """Check that --device cuda on a machine without CUDA says so."""
    with pytest.raises(SystemExit) as info:
        main(["benchmark", "--device", "cuda", "--estimators", "dem"])
    assert info.value.code == 2
    assert "CUDA is not available" in capsys.readouterr().err


def test_module_entry_point_help():
    """Check that ``python -m sklearn_zsl benchmark --help`` works."""
    completed = subprocess.run(
        [sys.executable, "-m", "sklearn_zsl", "benchmark", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("usage: sklearn-zsl benchmark")
    for option in ("--semantics-from", "--data-dir", "--device", "--n-jobs"):
        assert option in completed.stdout


def test_gfzsl_in_the_quick_benchmark(tmp_path):
    """Check that GFZSL runs in the benchmark command and learns."""
    status, output = _run(tmp_path, estimators="gfzsl")
    assert status == 0
    table, document = _check_outputs(output, ["GFZSL"])
    assert json.loads(table.loc[0, "best_params"])["covariance"] in {"pooled", "diag"}


def _output_cases(tmp_path):
    """Output locations that cannot hold the results, and the message of each."""
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("not a folder")
    blocked = tmp_path / "blocked"
    (blocked / "results.csv").mkdir(parents=True)
    return {
        "existing-file": (a_file, "is an existing file, not a folder"),
        "under-a-file": (a_file / "out", "cannot be created: .* is a file"),
        "deep-under-a-file": (a_file / "a" / "b", "cannot be created"),
        "result-file-is-a-folder": (blocked, "results.csv there cannot be replaced"),
    }


@pytest.mark.parametrize(
    "case",
    ["existing-file", "under-a-file", "deep-under-a-file", "result-file-is-a-folder"],
)
def test_bad_output_is_a_usage_error_before_any_work(tmp_path, capsys, case):
    """Check that an unusable --output fails at once, not after the benchmark.

    Issue 13: with an existing file as output the benchmark ran, printed the
    table, then died with a FileExistsError traceback and wrote nothing.
    """
    output, err_msg = _output_cases(tmp_path)[case]
    with pytest.raises(SystemExit) as info:
        main(["benchmark", "--quick", "--estimators", "sae", "-o", str(output)])
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no table: nothing ran
    assert "[data]" not in captured.err and "Traceback" not in captured.err
    error_lines = [line for line in captured.err.splitlines() if "error:" in line]
    assert len(error_lines) == 1
    assert re.search(err_msg, error_lines[0]), error_lines[0]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root can write to any folder",
)
def test_unwritable_output_parent_is_a_usage_error(tmp_path, capsys):
    """Check that an output folder that cannot be created is reported first."""
    parent = tmp_path / "read_only"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        with pytest.raises(SystemExit) as info:
            main(["benchmark", "--quick", "-o", str(parent / "out")])
    finally:
        parent.chmod(0o700)
    assert info.value.code == 2
    assert "is not writable" in capsys.readouterr().err


def test_run_failure_is_one_line_with_its_own_status(tmp_path, capsys, monkeypatch):
    """Check that an unexpected failure of the run exits 3, in one line."""
    import sklearn_zsl._benchmark as benchmark

    def broken(*args, **kwargs):
        raise RuntimeError("out of\nmemory")

    monkeypatch.setattr(benchmark, "run_benchmark", broken)
    status = main(["benchmark", "--quick", "--estimators", "sae", "-o", str(tmp_path)])
    assert status == 3
    err = capsys.readouterr().err
    assert err == (
        "sklearn-zsl benchmark: error: the benchmark failed: RuntimeError: out of "
        "memory\n"
    )


def test_write_failure_is_one_line_with_its_own_status(tmp_path, capsys, monkeypatch):
    """Check that results that cannot be written exit 3, without a traceback."""
    import sklearn_zsl._benchmark as benchmark

    def broken(result, output):
        raise PermissionError(13, "Permission denied", str(output))

    monkeypatch.setattr(benchmark, "write_results", broken)
    status, _ = _run(tmp_path, estimators="sae")
    assert status == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and "could not be written" in err


def test_exit_statuses_are_documented(capsys):
    """Check that --help lists every exit status."""
    with pytest.raises(SystemExit):
        main(["benchmark", "--help"])
    help_text = capsys.readouterr().out
    assert "exit status:" in help_text
    for status in ("0", "1", "2", "3", "130"):
        assert f"\n  {status}  " in help_text


def test_invalid_output_in_subprocess_exits_2_without_traceback(tmp_path):
    """Check the whole command: an existing file as --output, exit 2, one error."""
    a_file = tmp_path / "results"
    a_file.write_text("")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "sklearn_zsl",
            "benchmark",
            "--quick",
            "-o",
            str(a_file),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "is an existing file, not a folder" in completed.stderr
    assert completed.stdout == ""


def test_real_features_print_published_results_beside_ours(tmp_path, capsys):
    """Check the published rows of the estimators run, with their note."""
    root = tmp_path / "xlsa17"
    _write_fake_xlsa17(root, name="AWA2")
    status, output = _run(
        tmp_path, "--dataset", "AWA2", "--data-dir", str(root), estimators="sae,dem"
    )
    assert status == 0
    printed = capsys.readouterr().out
    row = next(line for line in printed.splitlines() if "DEM (published)" in line)
    # ZSL top-1, then S, U and H of the authors' README table; no AUSUC or time
    assert row.split()[2:] == ["0.671", "0.864", "0.305", "0.451", "-", "-", "-"]
    assert "IZF (published)" not in printed and "SAE (published)" not in printed
    assert "model selection differs from ours" in " ".join(printed.split())
    # published rows are printed and kept in the JSON, not mixed with ours
    assert "published" not in pd.read_csv(output / "results.csv")["estimator"].str.cat()
    document = json.loads((output / "results.json").read_text())
    assert [row["estimator"] for row in document["published"]] == ["DEM (published)"]


def test_synthetic_features_print_no_published_results(tmp_path, capsys):
    status, _ = _run(tmp_path, estimators="dem")
    assert status == 0
    assert "published)" not in capsys.readouterr().out
