"""Helpers of the sphinx-gallery configuration, importable by their full name.

sphinx-gallery resolves callables given as fully qualified strings, which keeps
``sphinx_gallery_conf`` picklable (Sphinx caches the configuration).
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import os

#: Example files listed here come first in their gallery section, in this order.
FIRST_EXAMPLES = ("plot_quick_start.py", "plot_dem_quickstart.py")


class QuickStartFirst:
    """Sort the examples of a section: quick starts first, then by file name.

    Parameters
    ----------
    src_dir : str or pathlib.Path
        The gallery section being sorted.
    """

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __repr__(self):
        return "<QuickStartFirst>"

    def __call__(self, filename):
        name = os.path.basename(str(filename))
        if name in FIRST_EXAMPLES:
            return (0, FIRST_EXAMPLES.index(name), name)
        return (1, 0, name)


def reset_threads(gallery_conf, fname):
    """Run every example single-threaded, whatever the previous one changed.

    Parameters
    ----------
    gallery_conf : dict
        The sphinx-gallery configuration.
    fname : str
        The example about to run.
    """
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a hard dependency
        return
    torch.set_num_threads(1)
