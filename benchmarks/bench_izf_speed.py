"""Profile of one IZFClassifier optimiser step, against its matrix-product floor.

Issue 15, items 1 and 2. The script fits an ``IZFClassifier`` for one epoch
(default parameters, ``seen_penalty=0.0``, the Bayes head so that no softmax
head is fitted) to get its skorch net, then times optimiser steps of that
net's own flow, objective terms, gradient clipping and fused Adam in a
hand-written loop that mirrors ``_IZFNet.get_loss`` / ``_IZFObjective.forward``
part by part:

- ``forward``: the flow on the real batch, with the likelihood and semantic
  terms;
- ``reverse pass``: the draw of negative classes and the one reverse pass
  (``_IZFObjective.reverse_pass``) of the zero-noise prototypes of the
  classes present in the batch and of the anchored unseen classes, and of
  one generated negative per real row;
- ``centralising term``: the prototypes' distances to their class means;
- ``negative term: kernel``: the multi-scale IMQ MMD² and the range penalty;
- ``backward``; ``clip + optimiser`` (gradient-norm clipping, Adam step);
- ``loss.item`` (skorch reads every batch loss);
- ``skorch bookkeeping``: the time per step of the same net trained through
  skorch (``partial_fit``, epoch durations from its history) minus the
  hand-written step.

The *floor* is the time of the same step's matrix products alone: every
Linear layer application of the two passes (forward on the batch, the reverse
pass of the prototypes and the negatives), forward and backward (input
and weight gradients), at the same shapes, with ``torch.addmm``/``torch.mm``
on preallocated tensors, measured in the same process with the same threads.
The kernel's three distance products (forward and backward) are printed
next to it.

It also times a default ``IZFClassifier(classifier="softmax",
seen_penalty=0.0).fit`` (one flow fit, no calibration split) against
``DEMClassifier(seen_penalty=0.0).fit`` on each task profiled (skip them
with ``--no-fit``).

Run::

    OMP_NUM_THREADS=1 python benchmarks/bench_izf_speed.py
    OMP_NUM_THREADS=1 python benchmarks/bench_izf_speed.py --cub --steps 6 \\
        --warmup 2 --skorch-epochs 1 --no-fit

The features are synthetic (timing does not depend on their values).
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import time

import numpy as np
import torch
from torch.utils.data import TensorDataset

from sklearn_zsl import ClassSemantics
from sklearn_zsl.datasets import make_zsl_classification
from sklearn_zsl.embedding import DEMClassifier
from sklearn_zsl.flow import IZFClassifier
from sklearn_zsl.flow._losses import (
    IMQ_SCALES,
    centralizing_loss,
    flow_nll,
    negative_mmd_loss,
    semantic_loss,
)

PARTS = (
    "forward",
    "reverse pass",
    "centralising term",
    "negative term: kernel",
    "backward",
    "clip + optimiser",
    "loss.item",
)


def make_128_task(random_state=0):
    """2,400 training rows of 128 features, 85-d semantics, 40 seen + 10 unseen."""
    X, y, semantics, unseen = make_zsl_classification(
        n_classes=50,
        n_unseen=10,
        n_samples_per_class=60,
        n_features=128,
        n_semantics=85,
        n_latent=16,
        random_state=random_state,
    )
    seen = ~np.isin(y, unseen)
    return X[seen], y[seen], semantics


def make_cub_shaped(random_state=0):
    """7,057 rows of 2,048 non-negative features, 312-d, 150 seen + 50 unseen."""
    rng = np.random.RandomState(random_state)
    n_seen, n_unseen = 150, 50
    attributes = 100 * rng.rand(n_seen + n_unseen, 312)
    means = rng.gamma(2.0, 0.25, size=(n_seen + n_unseen, 2048))
    y = rng.randint(n_seen, size=7057)
    X = np.maximum(means[y] + 0.3 * rng.randn(7057, 2048), 0).astype(np.float32)
    semantics = ClassSemantics(np.arange(n_seen + n_unseen), attributes)
    return X, y, semantics


def fitted_net(X, y, semantics):
    """An IZF net at the default parameters after one epoch, and its dataset."""
    clf = IZFClassifier(
        seen_penalty=0.0, classifier="bayes", max_epochs=1, random_state=0
    )
    clf.fit(X, y, class_semantics=semantics)
    x_all = torch.from_numpy(clf._scale_features(X))
    y_all = torch.from_numpy(np.searchsorted(clf.classes_, y).astype(np.int64))
    return clf, clf.net_, x_all, y_all


def _timed(times, part, start):
    now = time.perf_counter()
    times[part].append(now - start)
    return now


def hand_steps(clf, net, x_all, y_all, n_steps, warmup, seed=0):
    """Time the parts of ``n_steps`` optimiser steps; also record the shapes."""
    flow, objective, optimizer = net.module_, net.criterion_, net.optimizer_
    flow.train()
    objective.train()
    params = [p for p in flow.parameters() if p.requires_grad]
    generator = torch.Generator().manual_seed(seed)
    batch = clf.batch_size
    times = {part: [] for part in PARTS}
    n_prototypes = []
    step = 0
    while step < warmup + n_steps:
        order = torch.randperm(x_all.shape[0], generator=generator)
        for start in range(0, x_all.shape[0] - batch + 1, batch):
            if step == warmup:
                times = {part: [] for part in PARTS}
            rows = order[start : start + batch]
            x, y = x_all[rows], y_all[rows]
            t = time.perf_counter()
            optimizer.zero_grad()
            # _IZFObjective.forward, term by term (training=True)
            c, z, log_det = flow(x)
            loss = flow_nll(z, log_det, flow.n_dims)
            if objective.semantic_weight:
                target = objective.class_semantics[y]
                loss = loss + objective.semantic_weight * semantic_loss(c, target)
            t = _timed(times, "forward", t)
            present = negative = None
            if objective.centralizing_weight:
                present = torch.unique(y)
                if objective.anchored_classes.numel():
                    present = torch.cat([present, objective.anchored_classes])
                n_prototypes.append(present.numel())
            if objective.mmd_weight and objective.negative_classes.numel():
                draw = torch.randint(objective.negative_classes.numel(), (x.shape[0],))
                negative = objective.negative_classes[draw]
            prototypes, negatives = objective.reverse_pass(flow, present, negative)
            t = _timed(times, "reverse pass", t)
            if present is not None:
                loss = loss + objective.centralizing_weight * centralizing_loss(
                    prototypes, objective.class_means[present]
                )
            t = _timed(times, "centralising term", t)
            if negative is not None:
                loss = loss + objective.mmd_weight * negative_mmd_loss(
                    x, negatives, objective.mmd_margin, objective.range_weight
                )
                t = _timed(times, "negative term: kernel", t)
            loss.backward()
            t = _timed(times, "backward", t)
            if clf.max_grad_norm is not None:
                torch.nn.utils.clip_grad_norm_(params, clf.max_grad_norm)
            optimizer.step()
            t = _timed(times, "clip + optimiser", t)
            loss.item()
            _timed(times, "loss.item", t)
            step += 1
            if step == warmup + n_steps:
                break
    totals = np.sum([times[part] for part in PARTS if times[part]], axis=0)
    shapes = {
        "batch": batch,
        "prototypes": int(np.median(n_prototypes)) if n_prototypes else 0,
        "negatives": batch if negatives is not None else 0,
    }
    return {part: np.median(v) for part, v in times.items() if v}, totals, shapes


def skorch_step_time(net, x_all, y_all, epochs):
    """Seconds per optimiser step of the same net trained through skorch."""
    n_batches = -(-x_all.shape[0] // net.batch_size)
    durations = []
    for _ in range(epochs):
        net.partial_fit(TensorDataset(x_all, y_all), epochs=1)
        durations.append(net.history[-1, "dur"] / n_batches)
    return float(np.median(durations))


def linear_shapes(flow, shapes):
    """(rows, in, out) of every Linear layer application in one step."""
    passes = [shapes["batch"], shapes["prototypes"] + shapes["negatives"]]
    result = []
    for module in flow.modules():
        if isinstance(module, torch.nn.Linear):
            for rows in passes:
                if rows:
                    result.append((rows, module.in_features, module.out_features))
    return result


def _time_products(products, repeats):
    for _ in range(3):
        products()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        products()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def floor_time(layer_shapes, repeats=20, seed=0):
    """Median time of the Linear layers' products, forward and backward."""
    gen = torch.Generator().manual_seed(seed)
    tensors = []
    for rows, n_in, n_out in layer_shapes:
        tensors.append(
            (
                torch.randn(rows, n_in, generator=gen),  # input
                torch.randn(n_out, n_in, generator=gen),  # weight
                torch.randn(n_out, generator=gen),  # bias
                torch.randn(rows, n_out, generator=gen),  # output gradient
            )
        )

    def products():
        for a, w, b, g in tensors:
            torch.addmm(b, a, w.t())  # forward
            torch.mm(g, w)  # gradient of the input
            torch.mm(g.t(), a)  # gradient of the weight

    return _time_products(products, repeats)


def kernel_floor_time(n_rows, n_features, repeats=20, seed=0):
    """Median time of the MMD²'s three distance products, forward and backward."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n_rows, n_features, generator=gen)
    y = torch.randn(n_rows, n_features, generator=gen)
    g = torch.randn(n_rows, n_rows, generator=gen)

    def products():
        for a, b in ((x, x), (y, y), (x, y)):
            a @ b.T
            g @ b
            g.T @ a

    return _time_products(products, repeats)


def timed_fit(estimator, X, y, semantics):
    start = time.perf_counter()
    estimator.fit(X, y, class_semantics=semantics)
    return time.perf_counter() - start


def epochs_summary(estimator):
    """Epochs, optimiser steps and seconds in the epochs of a fitted deep model."""
    history = estimator.net_.history
    steps = sum(len(epoch["batches"]) for epoch in history)
    return len(history), steps, float(sum(history[:, "dur"]))


def compare_fits(name, X, y, semantics):
    """Time default fits of IZF and DEM (``seen_penalty=0.0``) on one task."""
    izf_clf = IZFClassifier(classifier="softmax", seen_penalty=0.0, random_state=0)
    dem_clf = DEMClassifier(seen_penalty=0.0, random_state=0)
    izf = timed_fit(izf_clf, X, y, semantics)
    dem = timed_fit(dem_clf, X, y, semantics)
    print(
        f"\ndefault fit on the {name}: IZFClassifier {izf:.1f} s, "
        f"DEMClassifier {dem:.1f} s, ratio {izf / dem:.1f}"
    )
    for label, fitted in (("IZF", izf_clf), ("DEM", dem_clf)):
        epochs, steps, seconds = epochs_summary(fitted)
        print(
            f"  {label}: {epochs} epochs, {steps} steps, {seconds:.1f} s in "
            f"the epochs ({1e3 * seconds / steps:.1f} ms/step)"
        )


def profile(name, X, y, semantics, args):
    print(f"\n== {name}: {X.shape[0]} x {X.shape[1]} features, ", end="")
    print(f"{semantics.to_numpy().shape[1]}-d semantics, {np.unique(y).size} seen")
    start = time.perf_counter()
    clf, net, x_all, y_all = fitted_net(X, y, semantics)
    print(f"setup (IZF fit of one epoch): {time.perf_counter() - start:.1f} s")
    print(f"flow: {net.module_!r}".splitlines()[0], net.module_.extra_repr())
    skorch_step = skorch_step_time(net, x_all, y_all, args.skorch_epochs)
    parts, totals, shapes = hand_steps(clf, net, x_all, y_all, args.steps, args.warmup)
    layers = linear_shapes(net.module_, shapes)
    floor = floor_time(layers, repeats=args.steps)
    kernel_floor = kernel_floor_time(shapes["batch"], X.shape[1], repeats=args.steps)
    hand = sum(parts.values())
    rows = dict(parts)
    rows["skorch bookkeeping"] = max(skorch_step - hand, 0.0)
    step = max(skorch_step, hand)
    print(
        f"median over {args.steps} steps after {args.warmup} of warm-up; "
        f"batch {shapes['batch']}, {shapes['prototypes']} prototypes, "
        f"{shapes['negatives']} negatives per step; "
        f"{torch.get_num_threads()} torch thread(s)"
    )
    print(f"{'part':<24}{'ms/step':>10}{'share':>9}")
    for part, seconds in rows.items():
        print(f"{part:<24}{1e3 * seconds:>10.2f}{seconds / step:>9.1%}")
    print(f"{'step (skorch)':<24}{1e3 * skorch_step:>10.2f}")
    print(
        f"{'hand-written step':<24}{1e3 * hand:>10.2f}  "
        f"(median of step totals {1e3 * np.median(totals):.2f})"
    )
    print(
        f"floor: Linear products, fwd + bwd, {len(layers)} applications: "
        f"{1e3 * floor:.2f} ms; kernel products {1e3 * kernel_floor:.2f} ms"
    )
    print(
        f"step over floor: skorch {skorch_step / floor:.2f}x, "
        f"hand-written {hand / floor:.2f}x; "
        f"over floor + kernel products: {skorch_step / (floor + kernel_floor):.2f}x"
    )
    print(f"(IMQ scales: {len(IMQ_SCALES)}; mmd_margin_ = {clf.mmd_margin_})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--skorch-epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cub", action="store_true", help="also CUB-shaped data")
    parser.add_argument("--no-128", action="store_true", help="skip the 128 task")
    parser.add_argument("--no-fit", action="store_true", help="skip default fits")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    X, y, semantics = make_128_task()
    if not args.no_128:
        profile("128-feature task", X, y, semantics, args)
    if not args.no_fit and not args.no_128:
        compare_fits("128-feature task", X, y, semantics)
    if args.cub:
        cub = make_cub_shaped()
        profile("CUB-shaped", *cub, args)
        if not args.no_fit:
            compare_fits("CUB-shaped data", *cub)


if __name__ == "__main__":
    main()
