"""Run the command line with ``python -m sklearn_zsl``."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import sys

from sklearn_zsl.cli import main

if __name__ == "__main__":
    sys.exit(main())
