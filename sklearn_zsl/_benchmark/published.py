"""Published results of the reference methods, printed beside a real-data run.

Numbers on the xlsa17 proposed split with ResNet-101 features, per-class
mean top-1, as fractions: ZSL top-1, then GZSL U, S and H. They were
obtained with their authors' model selection, which differs from the
benchmark's (hyperparameters and seen penalty chosen on class-disjoint
validation folds of the training data only), so they are a reference, not a
target to match.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

__all__ = ["PUBLISHED", "published_rows"]

#: Display name -> source, model selection and {dataset: (zsl, U, S, H)}.
PUBLISHED = {
    "DEM": {
        "source": "Zhang et al. (CVPR 2017), authors' README, GBU split",
        "selection": (
            "no validation split: training stopped where test accuracy was best, "
            "no calibration of the seen classes"
        ),
        "results": {
            "AWA1": (0.684, 0.328, 0.847, 0.473),
            "AWA2": (0.671, 0.305, 0.864, 0.451),
            "CUB": (0.517, 0.196, 0.579, 0.292),
            "SUN": (0.619, 0.205, 0.343, 0.256),
            "APY": (0.350, 0.111, 0.751, 0.194),
        },
    },
    "IZF": {
        "source": "Shen et al. (ECCV 2020), softmax classifier",
        "selection": (
            "selection protocol not stated in the paper; the released code scores "
            "test batches during training"
        ),
        "results": {
            "AWA1": (0.743, 0.613, 0.805, 0.696),
            "AWA2": (0.745, 0.606, 0.775, 0.680),
            "CUB": (0.671, 0.527, 0.680, 0.594),
            "SUN": (0.684, 0.527, 0.570, 0.548),
            "APY": (0.449, 0.423, 0.605, 0.498),
        },
    },
}


def published_rows(dataset: str, estimators) -> list[dict]:
    """Published results on ``dataset`` of the estimators run, as table rows.

    Parameters
    ----------
    dataset : str
        Name of the data set, e.g. ``"AWA2"`` (case-insensitive).
    estimators : iterable of str
        Display names of the estimators run, e.g. ``["DEM", "ESZSL"]``.

    Returns
    -------
    rows : list of dict
        One row per estimator with a published result on ``dataset``:
        ``estimator`` (e.g. ``"DEM (published)"``), ``zsl_top1``,
        ``acc_unseen``, ``acc_seen``, ``H``, ``source`` and ``selection``.
    """
    rows = []
    for name in estimators:
        entry = PUBLISHED.get(name)
        if entry is None or dataset.upper() not in entry["results"]:
            continue
        zsl, unseen, seen, h = entry["results"][dataset.upper()]
        rows.append(
            {
                "estimator": f"{name} (published)",
                "zsl_top1": zsl,
                "acc_unseen": unseen,
                "acc_seen": seen,
                "H": h,
                "source": entry["source"],
                "selection": entry["selection"],
            }
        )
    return rows
