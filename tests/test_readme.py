"""The README stays true: its usage example runs and its commands match CI."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.rst").read_text()


def _code_blocks(language):
    pattern = rf"\.\. code-block:: {language}\n\n((?:   .*\n|\n)+)"
    return [
        "\n".join(line[3:] for line in block.splitlines())
        for block in re.findall(pattern, README)
    ]


def test_exactly_two_setup_commands():
    """Check that the README gives exactly two shell commands, the second pytest."""
    commands = [block.strip() for block in _code_blocks("bash")]
    setup = [c for c in commands if c.startswith("python3 -m venv")]
    assert len(setup) == 2, setup
    assert "torch==2.13.0" in setup[0] and "torch==2.13.0" in setup[1]
    assert "sklearn-zsl benchmark" in setup[0]
    assert setup[1].endswith("pytest")


def test_ci_runs_the_readme_test_command():
    """Check that .ci/run extracts its test command from the README."""
    ci = (ROOT / ".ci" / "run").read_text()
    assert "README.rst" in ci and "pytest" in ci


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_usage_example_runs(capsys):
    """Check that the README's Python example runs and prints scores in [0, 1]."""
    (example,) = _code_blocks("python")
    exec(compile(example, "README.rst", "exec"), {})
    printed = capsys.readouterr().out
    numbers = [float(x) for x in re.findall(r"\d+\.\d+", printed)]
    assert len(numbers) == 4, printed
    assert all(0.0 <= x <= 1.0 for x in numbers)
