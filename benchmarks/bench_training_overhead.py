"""Training overhead of DEMClassifier (skorch underneath) over a bare PyTorch loop.

Times ``DEMClassifier.fit`` against a hand-written PyTorch training loop of the
same model on CUB-shaped data: 7,057 training samples of 2,048 features
(ResNet-101 sized, non-negative), 312-d class attributes, 150 seen and 50
unseen classes. Both sides train the same network (the CUB preset of the
official code: one hidden layer of 1,200 units), with the same batch size,
number of epochs, optimiser (Adam, fused, L2 penalty as weight decay), loss,
target scaling, initialisation and thread count, without early stopping; the
hand-written loop also embeds the classes once per batch and gathers, as
``DEMClassifier`` does. Runs are interleaved and the median of the per-repeat
ratios is reported. The goal is a ratio of at most 1.10.

With ``--naive`` it also times the loop most people would write first: the
per-sample semantic vectors through the network and the penalty through
autograd (same maths, same epochs); with ``--skorch-default`` a skorch
``NeuralNetRegressor`` out of the box (its DataLoader collates sample by
sample). Those two are for context: they differ in implementation, not in
framework overhead.

Run::

    python benchmarks/bench_training_overhead.py --repeats 7 --epochs 5

The features are synthetic (timing does not depend on their values).
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import time

import numpy as np
import torch
from skorch import NeuralNetRegressor

from sklearn_zsl import ClassSemantics
from sklearn_zsl.embedding import ClassPrototypes, DEMClassifier, DEMNetwork
from sklearn_zsl.utils import seed_from_random_state

N_SAMPLES, N_FEATURES, N_SEMANTICS, N_SEEN, N_UNSEEN = 7057, 2048, 312, 150, 50


def make_cub_shaped(random_state=0):
    """Synthetic CUB-shaped data: non-negative features, 0-100 attributes."""
    rng = np.random.RandomState(random_state)
    n_classes = N_SEEN + N_UNSEEN
    attributes = 100 * rng.rand(n_classes, N_SEMANTICS)
    means = rng.gamma(2.0, 0.25, size=(n_classes, N_FEATURES))
    y = np.sort(rng.randint(N_SEEN, size=N_SAMPLES))
    X = np.maximum(means[y] + 0.3 * rng.randn(N_SAMPLES, N_FEATURES), 0)
    semantics = ClassSemantics(np.arange(n_classes), {"attributes": attributes})
    return X.astype(np.float32), y, semantics


def fit_dem(X, y, semantics, params):
    """The estimator under test; returns its prototypes."""
    clf = DEMClassifier(**params).fit(X, y, class_semantics=semantics)
    return clf.prototypes_


def _scaled_inputs(X, y, semantics):
    """The scaling DEMClassifier applies: the same work on both sides."""
    values = semantics.to_numpy()
    seen = values[np.unique(y)]
    std = seen.std(axis=0)
    standardised = (values - seen.mean(axis=0)) / np.where(std > 0, std, 1.0)
    shift = X.min(axis=0)
    scale = float(np.sqrt(np.mean(X.var(axis=0, dtype=np.float64))))
    targets = (X - shift) / np.float32(scale)
    return standardised.astype(np.float32), targets, shift, scale


def fit_by_hand(X, y, semantics, params, naive=False):
    """A hand-written PyTorch loop training the same model; returns prototypes."""
    standardised, targets, shift, scale = _scaled_inputs(X, y, semantics)
    offset = torch.from_numpy(targets.mean(axis=0))
    targets = torch.from_numpy(targets)
    y_ind = torch.from_numpy(y.astype(np.int64))
    # The two seeds DEMClassifier draws from random_state: initialisation and
    # shuffling; with them both sides do exactly the same arithmetic.
    rng = np.random.RandomState(params["random_state"])
    init_seed, shuffle_seed = seed_from_random_state(rng), seed_from_random_state(rng)
    torch.manual_seed(init_seed)
    model = ClassPrototypes(
        torch.from_numpy(standardised),
        N_FEATURES,
        params["hidden_layer_sizes"],
        output_offset=offset,
    )
    if naive:
        optimizer = torch.optim.Adam(model.parameters(), lr=params["lr"])
    else:
        optimizer = torch.optim.Adam(
            model.parameters(),
            lr=params["lr"],
            weight_decay=params["alpha"],
            fused=True,
        )
    generator = torch.Generator().manual_seed(shuffle_seed)
    batch_size, n_samples = params["batch_size"], y_ind.shape[0]
    for _ in range(params["max_epochs"]):
        order = torch.randperm(n_samples, generator=generator)
        for start in range(0, n_samples, batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            if naive:
                y_pred = model.network(model.class_semantics[y_ind[batch]])
            else:
                y_pred = model(y_ind[batch])
            loss = torch.nn.functional.mse_loss(y_pred, targets[batch])
            if naive:
                penalty = sum(p.square().sum() for p in model.parameters())
                loss = loss + 0.5 * params["alpha"] * penalty
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        return model.all_prototypes().numpy() * scale + shift


class _PerSampleModule(torch.nn.Module):
    """The DEM network taking each sample's semantic vector (skorch default)."""

    def __init__(self, hidden_layer_sizes):
        super().__init__()
        self.network = DEMNetwork(N_SEMANTICS, N_FEATURES, hidden_layer_sizes)

    def forward(self, X):
        return self.network(X)


def fit_skorch_default(X, y, semantics, params):
    """skorch out of the box: per-sample semantics, default DataLoader."""
    standardised, targets, _, _ = _scaled_inputs(X, y, semantics)
    torch.manual_seed(params["random_state"])
    net = NeuralNetRegressor(
        _PerSampleModule,
        module__hidden_layer_sizes=params["hidden_layer_sizes"],
        optimizer=torch.optim.Adam,
        optimizer__weight_decay=params["alpha"],
        lr=params["lr"],
        max_epochs=params["max_epochs"],
        batch_size=params["batch_size"],
        iterator_train__shuffle=True,
        train_split=None,
        verbose=0,
    )
    net.fit(standardised[y], targets)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--naive", action="store_true")
    parser.add_argument("--skorch-default", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    X, y, semantics = make_cub_shaped()
    params = {
        **DEMClassifier.from_paper("CUB").get_params(),
        "max_epochs": args.epochs,
        "early_stopping": False,
        "random_state": 0,
    }
    print(
        f"CUB-shaped synthetic data: {X.shape[0]} x {X.shape[1]} features, "
        f"{N_SEMANTICS}-d semantics, {N_SEEN} seen + {N_UNSEEN} unseen classes; "
        f"network {N_SEMANTICS}-{params['hidden_layer_sizes'][0]}-{N_FEATURES}, "
        f"batch {params['batch_size']}, {args.epochs} epochs, "
        f"{torch.get_num_threads()} torch thread(s), torch {torch.__version__}"
    )
    runners = {
        "hand": lambda: fit_by_hand(X, y, semantics, params),
        "DEMClassifier": lambda: fit_dem(X, y, semantics, params),
    }
    if args.naive:
        runners["naive hand"] = lambda: fit_by_hand(X, y, semantics, params, True)
    if args.skorch_default:
        runners["skorch default"] = lambda: fit_skorch_default(X, y, semantics, params)

    # Same model, same seeds, same batches: the same prototypes.
    np.testing.assert_allclose(
        runners["hand"](), runners["DEMClassifier"](), rtol=1e-5, atol=1e-5
    )
    print("check: both sides learn the same prototypes")
    times = {name: [] for name in runners}
    for repeat in range(args.repeats):
        names = list(runners) if repeat % 2 == 0 else list(runners)[::-1]
        for name in names:
            start = time.perf_counter()
            runners[name]()
            times[name].append(time.perf_counter() - start)
        print(
            f"repeat {repeat + 1}: "
            + ", ".join(f"{name} {times[name][-1]:.2f} s" for name in runners)
        )

    hand = np.array(times["hand"])
    print("\nmedian fit time (s):")
    for name, values in times.items():
        ratios = np.array(values) / hand
        print(
            f"  {name:15s} {np.median(values):7.2f}   "
            f"ratio to the hand-written loop: median {np.median(ratios):.3f} "
            f"(min {ratios.min():.3f}, max {ratios.max():.3f})"
        )
    ratio = float(np.median(np.array(times["DEMClassifier"]) / hand))
    verdict = "meets" if ratio <= 1.10 else "misses"
    print(
        f"\noverhead ratio DEMClassifier.fit / hand-written loop: {ratio:.3f} "
        f"({verdict} the goal of 1.10)"
    )


if __name__ == "__main__":
    main()
