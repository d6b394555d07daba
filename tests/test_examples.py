"""Run the fast gallery examples, a cheaper signal than the documentation build.

The documentation build executes every example (``doc/conf.py``); this test
runs the quick ones in the test suite so that an API change breaking them
shows up there too. Slower examples are listed in ``SLOW_EXAMPLES`` and left to
the documentation build.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import re
import runpy
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"

#: Examples taking more than about ten seconds on one CPU thread.
SLOW_EXAMPLES = {
    "plot_compare_estimators.py",
    "plot_dem_fusion_cub.py",
    "plot_izf_generated_features.py",
    "plot_shen2020_toy.py",
}

#: Examples written for the gallery, run here; a new fast example is picked up
#: automatically.
EXAMPLES = sorted(
    path for path in EXAMPLES_DIR.glob("*/plot_*.py") if path.name not in SLOW_EXAMPLES
)


@pytest.fixture
def headless_matplotlib():
    """Draw without a display, and close every figure afterwards."""
    matplotlib.use("agg", force=True)
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.mark.skipif(not EXAMPLES, reason="no examples in this checkout")
@pytest.mark.parametrize(
    "path", EXAMPLES, ids=[f"{p.parent.name}/{p.name}" for p in EXAMPLES]
)
def test_example_runs(path, headless_matplotlib, monkeypatch, capsys):
    """Check that an example runs and labels the scores it prints.

    Without ``XLSA17_ROOT`` every example works on generated features, so any
    score it prints must be labelled "synthetic features".
    """
    # The real-data example must take its "data absent" path here.
    monkeypatch.delenv("XLSA17_ROOT", raising=False)
    monkeypatch.chdir(path.parent)
    runpy.run_path(str(path), run_name="__main__")
    printed = capsys.readouterr().out
    if re.search(r"\d\.\d{2}", printed):
        assert "synthetic features" in printed.lower(), printed
