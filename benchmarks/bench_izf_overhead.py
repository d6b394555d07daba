"""Overhead of IZFClassifier's skorch training against a hand-written loop.

Both sides train the same flow (:class:`~sklearn_zsl.flow._modules._IZFFlow`)
on the same scaled features, with the same objective
(:class:`~sklearn_zsl.flow._net._IZFObjective`: likelihood, semantic,
centralising and negative-MMD terms), Adam, gradient clipping at norm 10, the
same batch size and number of epochs. The hand-written loop shuffles with
``torch.randperm`` and slices tensors; the estimator goes through skorch with
the shared tensor-slicing batch iterator. The printed ratio is
``estimator fit time / loop time`` (goal: at most 1.10), measured in this run
on CUB-shaped synthetic data (features, not images).

Run::

    OMP_NUM_THREADS=2 python benchmarks/bench_izf_overhead.py
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import time

import numpy as np
import torch

from sklearn_zsl import ClassSemantics
from sklearn_zsl.flow import IZFClassifier
from sklearn_zsl.flow._modules import _IZFFlow
from sklearn_zsl.flow._net import _IZFObjective


def make_data(n_samples, n_features, n_semantic, n_seen, n_unseen, seed=0):
    rng = np.random.RandomState(seed)
    semantics = rng.rand(n_seen + n_unseen, n_semantic)
    y = rng.randint(n_seen, size=n_samples)
    X = np.maximum(0, semantics[y] @ rng.randn(n_semantic, n_features))
    X += 0.1 * rng.rand(n_samples, n_features)
    return X.astype(np.float32), y, semantics


def hand_written_loop(clf, X, y, semantics, epochs, seed=0):
    """The estimator's training, written as a plain PyTorch loop."""
    torch.manual_seed(seed)
    low, span = X.min(0), X.max(0) - X.min(0)
    x_all = torch.from_numpy((X - low) / np.where(span > 0, span, 1))
    y_all = torch.from_numpy(y.astype(np.int64))
    s_low, s_span = semantics.min(0), semantics.max(0) - semantics.min(0)
    sem = torch.from_numpy(((semantics - s_low) / s_span).astype(np.float32))
    n_classes = semantics.shape[0]
    means = torch.zeros(n_classes, X.shape[1])
    means.index_add_(0, y_all, x_all)
    means /= torch.bincount(y_all, minlength=n_classes).clamp(min=1)[:, None]
    flow = _IZFFlow(
        X.shape[1],
        semantics.shape[1],
        n_blocks=clf.n_blocks,
        hidden_size=clf.hidden_size,
        clamp=clf.clamp,
    )
    unseen = torch.arange(np.unique(y).size, n_classes)
    objective = _IZFObjective(
        sem,
        means,
        unseen,
        semantic_weight=clf.semantic_weight,
        centralizing_weight=clf.centralizing_weight,
        mmd_weight=clf.mmd_weight,
        # the hinge's cost does not depend on its margin
        mmd_margin=0.1 if clf.mmd_margin is not None else None,
        range_weight=clf.range_weight,
        anchored_classes=unseen if clf.anchor_unseen else None,
    )
    optimizer = torch.optim.Adam(flow.parameters(), lr=clf.lr)
    flow.train()
    for _ in range(epochs):
        order = torch.randperm(x_all.shape[0])
        for start in range(0, x_all.shape[0], clf.batch_size):
            rows = order[start : start + clf.batch_size]
            x, target = x_all[rows], y_all[rows]
            optimizer.zero_grad()
            loss = objective(flow, flow(x), target, x, training=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(flow.parameters(), clf.max_grad_norm)
            optimizer.step()
            loss.item()  # skorch reads every batch loss too
    return flow


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=7057)
    parser.add_argument("--n-features", type=int, default=2048)
    parser.add_argument("--n-semantic", type=int, default=312)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    X, y, semantics = make_data(
        args.n_samples, args.n_features, args.n_semantic, n_seen=150, n_unseen=50
    )
    class_semantics = ClassSemantics(np.arange(semantics.shape[0]), semantics)
    clf = IZFClassifier(max_epochs=args.epochs, random_state=0)
    estimator_times, loop_times, epoch_times = [], [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        hand_written_loop(clf, X, y, semantics, args.epochs)
        loop_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        clf.fit(X, y, class_semantics=class_semantics)
        estimator_times.append(time.perf_counter() - start)
        epoch_times.append(sum(clf.net_.history[:, "dur"]))
    loop, estimator = min(loop_times), min(estimator_times)
    print(
        f"IZF, {args.n_samples} x {args.n_features} synthetic features, "
        f"{args.n_semantic}-d semantics, {args.epochs} epochs, "
        f"{torch.get_num_threads()} torch threads"
    )
    print(f"hand-written loop: {loop:.2f} s (best of {args.repeats})")
    print(f"IZFClassifier.fit: {estimator:.2f} s (best of {args.repeats})")
    print(f"  of which skorch epochs: {min(epoch_times):.2f} s")
    print(f"ratio: {estimator / loop:.3f} (goal <= 1.10)")
    print(f"ratio of the training epochs alone: {min(epoch_times) / loop:.3f}")


if __name__ == "__main__":
    main()
