"""Command-line interface: ``sklearn-zsl benchmark`` (or ``python -m sklearn_zsl``).

Read more in the :ref:`User Guide <benchmark>`.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sklearn_zsl import __version__

__all__ = ["build_parser", "main"]

_ESTIMATOR_NAMES = ("eszsl", "sae", "gfzsl", "dem", "izf")
_DEFAULT_OUTPUT = "sklearn_zsl_benchmark"

#: exit statuses: success; an estimator failed (the others' results are
#: written); a usage error (bad argument, file or output location, found
#: before any work); the run itself failed (an unexpected error, or the
#: results could not be written); interrupted by Ctrl-C.
EXIT_OK, EXIT_ESTIMATOR_FAILED, EXIT_USAGE, EXIT_RUN_FAILED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130

_DESCRIPTION = """\
Run zero-shot estimators on one data set and report, on its test split,
zero-shot per-class top-1 accuracy, generalised-ZSL seen/unseen accuracy and
harmonic mean H (with calibrated stacking), AUSUC, and fit and predict times.
Hyperparameters and the seen-class penalty are chosen on class-disjoint
validation folds of the training data, never on test data. The table is
printed and written to OUTPUT as results.csv and results.json, with the plots
seen_unseen_curves.png and harmonic_mean.png.
"""

_EPILOG = """\
data sets:
  (default)                          synthetic features and semantics, no file
  --semantics-from FILE [--name N]   real class semantics and split of an xlsa17
                                     att_splits.mat, synthetic features
  --dataset N --data-dir ROOT        real xlsa17 features (ROOT/N/res101.mat and
                                     att_splits.mat); ROOT defaults to $XLSA17_ROOT

exit status:
  0  success
  1  an estimator failed (listed under the table; the others are written)
  2  usage error: a bad argument, file or output location (before any work)
  3  the run failed (an unexpected error, or the results could not be written)
  130  interrupted (Ctrl-C)

examples:
  sklearn-zsl benchmark --quick
  sklearn-zsl benchmark --estimators eszsl,dem --n-jobs 2
  sklearn-zsl benchmark --semantics-from xlsa17/CUB/att_splits.mat
  sklearn-zsl benchmark --dataset CUB --data-dir xlsa17 --device auto
"""


def _estimator_list(text: str) -> list[str]:
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = sorted(set(names) - set(_ESTIMATOR_NAMES))
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown estimator(s) {', '.join(unknown) or repr(text)}; give a "
            f"comma-separated list among {','.join(_ESTIMATOR_NAMES)}"
        )
    return list(dict.fromkeys(names))


def _n_jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value == 0:
        raise argparse.ArgumentTypeError(
            f"expected a non-zero integer (-1 for all cores), got {text!r}"
        )
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(
            f"expected an integer in [0, 2**32), got {text!r}"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``sklearn-zsl``.

    Returns
    -------
    parser : argparse.ArgumentParser
        The parser, with the ``benchmark`` sub-command.
    """
    parser = argparse.ArgumentParser(
        prog="sklearn-zsl", description="Zero-shot learning with the scikit-learn API."
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    bench = commands.add_parser(
        "benchmark",
        help="run the estimators on a data set and report their scores",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.set_defaults(handler=_benchmark, subparser=bench)
    data = bench.add_argument_group("data")
    data.add_argument(
        "--dataset",
        "--name",
        dest="dataset",
        default="synthetic",
        metavar="NAME",
        help="'synthetic' (default) or an xlsa17 data set: AWA1, AWA2, CUB, SUN, "
        "APY; --name is an alias",
    )
    data.add_argument(
        "--data-dir",
        metavar="ROOT",
        help="xlsa17 root holding NAME/res101.mat and NAME/att_splits.mat "
        "(default: $XLSA17_ROOT); real features",
    )
    data.add_argument(
        "--semantics-from",
        metavar="PATH",
        help="an xlsa17 att_splits.mat (or its folder, or the xlsa17 root with "
        "--name): real class semantics and split, synthetic features",
    )
    run = bench.add_argument_group("run")
    run.add_argument(
        "--estimators",
        type=_estimator_list,
        metavar="LIST",
        help=f"comma-separated subset of {','.join(_ESTIMATOR_NAMES)} "
        "(default: every one available)",
    )
    run.add_argument(
        "--quick",
        action="store_true",
        help="small grids, few epochs, a smaller synthetic problem (under a "
        "minute on two CPU cores)",
    )
    run.add_argument(
        "--device",
        default="auto",
        help="device of DEM and IZF: cpu, cuda, cuda:N or auto (CUDA when "
        "available; default)",
    )
    run.add_argument(
        "--n-jobs",
        type=_n_jobs,
        default=None,
        metavar="N",
        help="parallel jobs of each grid search (-1: all cores; default 1)",
    )
    run.add_argument(
        "--threads",
        type=_positive,
        default=None,
        metavar="N",
        help="torch and BLAS threads of the main process (default 1: use "
        "--n-jobs to fit candidates in parallel instead)",
    )
    run.add_argument(
        "--random-state",
        type=_seed,
        default=0,
        metavar="SEED",
        help="seed of the data, the folds and the estimators (default 0)",
    )
    out = bench.add_argument_group("output")
    out.add_argument(
        "--output",
        "-o",
        default=_DEFAULT_OUTPUT,
        metavar="DIR",
        help=f"folder of the CSV, JSON and PNG files (default ./{_DEFAULT_OUTPUT})",
    )
    out.add_argument(
        "--quiet", "-q", action="store_true", help="print no progress lines"
    )
    return parser


def _check_data_arguments(parser, args):
    if args.semantics_from is not None and args.data_dir is not None:
        parser.error(
            "--semantics-from (synthetic features from real semantics) and "
            "--data-dir (real features) exclude each other; give one"
        )
    synthetic = args.dataset.lower() == "synthetic"
    if args.data_dir is not None and synthetic:
        parser.error(
            "--data-dir reads real xlsa17 features: name the data set with "
            "--dataset (e.g. --dataset CUB --data-dir ROOT)"
        )
    if not synthetic and args.semantics_from is None and args.data_dir is None:
        args.data_dir = os.environ.get("XLSA17_ROOT") or None
        if args.data_dir is None:
            parser.error(
                f"--dataset {args.dataset} reads real xlsa17 features: give "
                "--data-dir ROOT or set XLSA17_ROOT, or use --semantics-from "
                "PATH for synthetic features from its real class semantics"
            )


def _check_run_arguments(parser, args):
    from sklearn_zsl._benchmark import available_estimators
    from sklearn_zsl.utils._torch import _CUDA_DEVICE, resolve_device

    found = available_estimators()
    if args.estimators is None:
        args.estimators = [k for k, v in found.items() if not isinstance(v, str)]
    missing = [k for k in args.estimators if isinstance(found[k], str)]
    if missing:
        parser.error(
            f"estimator(s) {', '.join(missing)} not available in this install: "
            + "; ".join(found[k] for k in missing)
        )
    if {"dem", "izf"} & set(args.estimators):
        try:
            resolve_device(args.device)
        except ValueError as exc:
            parser.error(f"--device: {exc}")
    elif args.device not in ("auto", "cpu") and not _CUDA_DEVICE.fullmatch(args.device):
        # unused without a deep estimator, but a typo is still an error
        parser.error(
            f"--device: Unknown device {args.device!r}; use 'cpu', 'cuda', "
            "'cuda:<index>' or 'auto'"
        )


def _nearest_existing(path):
    """``path`` or its nearest existing ancestor."""
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path


def _check_output(parser, args):
    """Check that the results can be written to ``--output``, before any work."""
    from sklearn_zsl._benchmark import FILE_NAMES

    if not args.output.strip():
        parser.error("--output is empty; give a folder")
    output = os.path.abspath(args.output)
    existing = _nearest_existing(output)
    if existing == output and not os.path.isdir(output):
        parser.error(
            f"--output {args.output!r} is an existing file, not a folder; give a "
            "folder (created if missing) for the result files"
        )
    if not os.path.isdir(existing):
        parser.error(
            f"--output {args.output!r} cannot be created: {existing!r} is a file, "
            "not a folder"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        parser.error(
            f"--output {args.output!r}: the folder {existing!r} is not writable; "
            "give a folder you can write to"
        )
    if existing == output:
        for name in FILE_NAMES.values():
            path = os.path.join(output, name)
            if os.path.isdir(path) or (
                os.path.exists(path) and not os.access(path, os.W_OK)
            ):
                parser.error(
                    f"--output {args.output!r}: {name} there cannot be replaced "
                    "(a folder or a read-only file); remove it or choose another "
                    "folder"
                )


def _fail(message, status):
    """Report ``message`` on one line of stderr; return ``status``."""
    text = " ".join(str(message).split())
    print(f"sklearn-zsl benchmark: error: {text}", file=sys.stderr, flush=True)
    return status


def _benchmark(parser, args) -> int:
    from sklearn_zsl._benchmark import format_table, run_benchmark, write_results

    _check_output(parser, args)
    _check_data_arguments(parser, args)
    _check_run_arguments(parser, args)
    try:
        result = run_benchmark(
            args.dataset,
            args.estimators,
            data_dir=args.data_dir,
            semantics_from=args.semantics_from,
            quick=args.quick,
            device=args.device,
            n_jobs=args.n_jobs,
            threads=args.threads,
            random_state=args.random_state,
            progress=None if args.quiet else _progress,
        )
    except (FileNotFoundError, ValueError) as exc:
        # Bad paths and files of the wrong format are the user's to fix.
        parser.error(" ".join(str(exc).split()))
    except KeyboardInterrupt:
        return _fail("interrupted; nothing was written", EXIT_INTERRUPTED)
    except Exception as exc:  # reported in one line, without a traceback
        return _fail(
            f"the benchmark failed: {type(exc).__name__}: {exc}", EXIT_RUN_FAILED
        )
    print(format_table(result))
    try:
        paths = write_results(result, args.output)
    except OSError as exc:
        return _fail(
            f"the results could not be written to {args.output!r}: {exc}",
            EXIT_RUN_FAILED,
        )
    print(f"\nWrote {', '.join(sorted(os.path.basename(p) for p in paths.values()))}")
    print(f"  to {os.path.abspath(args.output)}")
    print(f"Total time: {result.settings['total_time_s']:.1f} s")
    return EXIT_ESTIMATOR_FAILED if result.failures else EXIT_OK


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``sklearn-zsl`` with the arguments ``argv``.

    Parameters
    ----------
    argv : sequence of str, default=None
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success; 1 if an estimator failed (the others' results are
        written); 3 if the run itself failed or its results could not be
        written; 130 if interrupted. Errors are reported in one line on
        stderr, without a traceback. Usage errors, found before any work
        (arguments, files, the output location), exit with status 2 through
        :class:`SystemExit`, as usual with argparse.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.handler(args.subparser, args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
