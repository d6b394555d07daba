"""Sphinx configuration of the sklearn-zsl documentation.

Build it (warnings as errors, the example gallery executed) with::

    OMP_NUM_THREADS=1 python -m sphinx -W --keep-going -b html doc doc/_build/html

The build needs no network access. Set ``SKLEARN_ZSL_INTERSPHINX=1`` to link
to the documentation of Python, NumPy, SciPy, pandas, scikit-learn, PyTorch
and skorch (this downloads their inventories); set
``SKLEARN_ZSL_PLOT_GALLERY=0`` to skip running the examples.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import sys
from pathlib import Path

# The examples run inside the Sphinx process: keep every library on one thread
# (a shared CPU turns torch's default thread pool into a slowdown) and draw
# figures without a display. Set before anything imports torch or matplotlib.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ["MPLBACKEND"] = "agg"

DOC_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(DOC_DIR / "sphinxext"))

import sklearn_zsl  # noqa: E402

# -- Project information ---------------------------------------------------------

project = "sklearn-zsl"
author = "The sklearn_zsl developers"
copyright = "The sklearn_zsl developers, BSD-3-Clause"
release = sklearn_zsl.__version__
version = ".".join(release.split(".")[:2])

# -- General configuration -------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

# Linking to other projects downloads their inventories: opt-in only, so that
# an offline build (CI, a plane) can never fail on it.
USE_INTERSPHINX = os.environ.get("SKLEARN_ZSL_INTERSPHINX", "0") == "1"
if USE_INTERSPHINX:
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "scipy": ("https://docs.scipy.org/doc/scipy", None),
        "pandas": ("https://pandas.pydata.org/docs", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "torch": ("https://docs.pytorch.org/docs/stable", None),
        "skorch": ("https://skorch.readthedocs.io/en/stable", None),
        "joblib": ("https://joblib.readthedocs.io/en/stable", None),
        "dask": ("https://docs.dask.org/en/stable", None),
    }

templates_path = ["_templates"]
exclude_patterns = ["_build", "_templates", "sphinxext", "Thumbs.db", ".DS_Store"]
root_doc = "index"
default_role = "literal"
pygments_style = "sphinx"

# -- autodoc, autosummary, numpydoc ------------------------------------------------

autosummary_generate = True
autodoc_typehints = "none"
autodoc_default_options = {"members": True}
autoclass_content = "class"
# autosummary lists the members; numpydoc must not add a second table.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# -- HTML output -----------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-zsl {release}"
html_short_title = "sklearn-zsl"
html_static_path = []
html_theme_options = {
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "show_prev_next": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
html_sidebars = {
    "index": [],
    "install": [],
    "quick_start": [],
    "references": [],
}
html_show_sourcelink = False

# -- sphinx-gallery ----------------------------------------------------------------

sphinx_gallery_conf = {
    "doc_module": ("sklearn_zsl",),
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "backreferences_dir": "generated",
    "filename_pattern": "/plot_",
    "ignore_pattern": r"__init__\.py|/_",
    # Any failing example fails the build (CI runs it with -W as well).
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "plot_gallery": os.environ.get("SKLEARN_ZSL_PLOT_GALLERY", "True"),
    "subsection_order": [
        "../examples/getting_started",
        "../examples/model_selection",
        "../examples/evaluation",
        "../examples/embedding",
        "../examples/flow",
        "*",
        "../examples/applications",
    ],
    "within_subsection_order": "gallery_hooks.QuickStartFirst",
    "reset_modules": ("matplotlib", "gallery_hooks.reset_threads"),
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "show_memory": False,
    "download_all_examples": True,
    "line_numbers": False,
    "inspect_global_variables": False,
}
