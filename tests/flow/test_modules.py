"""Tests for the invertible building blocks of IZF."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import pytest
import torch
from torch.autograd.functional import jacobian

from sklearn_zsl.flow._losses import (
    centralizing_loss,
    flow_nll,
    imq_mmd,
    semantic_loss,
)
from sklearn_zsl.flow._modules import (
    _AffineCoupling,
    _IZFFlow,
    _RandomPermutation,
    _soft_clamp,
)

# (n_features, n_semantic): padded (n_features <= n_semantic) and plain cases,
# with odd and even widths.
SHAPES = [(2, 2), (3, 5), (1, 1), (7, 3), (8, 3), (6, 5)]


def _randomize(module: torch.nn.Module, std: float = 0.5) -> torch.nn.Module:
    """Re-draw every parameter from N(0, std²), so the maths is far from identity."""
    with torch.no_grad():
        for param in module.parameters():
            param.normal_(0.0, std)
    return module


def _make_flow(n_features, n_semantic, n_blocks=2, seed=0) -> _IZFFlow:
    flow = _IZFFlow(
        n_features, n_semantic, n_blocks=n_blocks, hidden_size=8, seed=seed
    ).double()
    return _randomize(flow)


def _jacobian_log_det(func, x: torch.Tensor) -> torch.Tensor:
    """``log |det J|`` of ``func`` at each row of ``x``, through autograd."""
    log_dets = []
    for row in x:
        jac = jacobian(lambda r: func(r.unsqueeze(0)).squeeze(0), row)
        log_dets.append(torch.linalg.slogdet(jac).logabsdet)
    return torch.stack(log_dets)


def test_soft_clamp_bounds_log_scales():
    """Check that the soft clamp is near identity at 0 and bounded everywhere."""
    s_raw = torch.tensor([-1e30, -50.0, -1e-3, 0.0, 1e-3, 50.0, 1e30]).double()
    s = _soft_clamp(s_raw, 2.0)
    assert torch.all(torch.isfinite(s))
    assert torch.all(s.abs() <= 2.0)
    torch.testing.assert_close(s[2:5], s_raw[2:5], rtol=1e-6, atol=0)
    torch.testing.assert_close(s[[0, -1]], torch.tensor([-2.0, 2.0]).double())


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_soft_clamp_is_clamp_times_tanh(dtype):
    """Check the soft clamp and its gradient against ``clamp * tanh(s / clamp)``.

    It is computed through a sigmoid (faster on CPU); values and gradients
    must be those of the tanh form to the dtype's rounding.
    """
    s_raw = torch.linspace(-30.0, 30.0, 2001, dtype=dtype).requires_grad_()
    for clamp in (0.5, 2.0, 5.0):
        # a few units in the last place of values up to clamp
        tolerance = {"rtol": 0, "atol": 8 * torch.finfo(dtype).eps * clamp}
        ours = _soft_clamp(s_raw, clamp)
        (ours_grad,) = torch.autograd.grad(ours.sum(), s_raw)
        expected = clamp * torch.tanh(s_raw / clamp)
        (expected_grad,) = torch.autograd.grad(expected.sum(), s_raw)
        torch.testing.assert_close(ours, expected, **tolerance)
        torch.testing.assert_close(ours_grad, expected_grad, **tolerance)


def test_permutation_is_a_seeded_buffer():
    """Check that the permutation is a true permutation stored as a buffer."""
    perm = _RandomPermutation(10, generator=torch.Generator().manual_seed(3))
    assert list(perm.parameters()) == []
    assert {"perm", "inv_perm"} <= set(perm.state_dict())
    assert torch.equal(torch.sort(perm.perm).values, torch.arange(10))
    # The same seed gives the same permutation whatever torch's global state.
    torch.manual_seed(123)
    same = _RandomPermutation(10, generator=torch.Generator().manual_seed(3))
    other = _RandomPermutation(10, generator=torch.Generator().manual_seed(4))
    assert torch.equal(perm.perm, same.perm)
    assert not torch.equal(perm.perm, other.perm)


def test_permutation_round_trip_and_zero_log_det():
    """Check that the permutation inverts exactly and preserves volume."""
    perm = _RandomPermutation(7)
    x = torch.randn(4, 7, dtype=torch.float64)
    y, log_det = perm(x)
    assert not torch.equal(y, x)
    assert torch.equal(perm.inverse(y), x)
    assert torch.equal(log_det, torch.zeros(4, dtype=torch.float64))


@pytest.mark.parametrize("n_features", [2, 3, 5, 8])
def test_coupling_round_trip_and_log_det(n_features):
    """Check the coupling's inverse and log-det against the autograd Jacobian."""
    block = _randomize(_AffineCoupling(n_features, hidden_size=8).double())
    x = torch.randn(3, n_features, dtype=torch.float64)
    y, log_det = block(x)
    torch.testing.assert_close(block.inverse(y), x, rtol=0, atol=1e-4)
    expected = _jacobian_log_det(lambda r: block(r)[0], x)
    torch.testing.assert_close(log_det, expected, rtol=1e-6, atol=1e-8)
    # The test is meaningful only if the block is far from volume-preserving.
    assert log_det.abs().max() > 0.1


@pytest.mark.parametrize(
    "n_features, n_semantic, n_dims, n_noise",
    [(2, 2, 4, 2), (3, 5, 8, 3), (1, 1, 2, 1), (5, 4, 5, 1), (10, 4, 10, 6)],
)
def test_flow_dimensions(n_features, n_semantic, n_dims, n_noise):
    """Check the padding rule and the output shapes of every method."""
    flow = _IZFFlow(n_features, n_semantic, n_blocks=2, hidden_size=4).double()
    assert (flow.n_dims, flow.n_noise) == (n_dims, n_noise)
    assert flow.n_padding == n_dims - n_features
    x = torch.randn(6, n_features, dtype=torch.float64)
    c, z, log_det = flow(x)
    assert c.shape == (6, n_semantic)
    assert z.shape == (6, n_noise)
    assert log_det.shape == (6,)
    semantics = torch.randn(3, n_semantic, dtype=torch.float64)
    assert flow.inverse(c, z).shape == (6, n_features)
    assert flow.sample(semantics).shape == (3, n_features)
    assert flow.prototypes(semantics).shape == (3, n_features)


@pytest.mark.parametrize("n_blocks", [1, 2, 3])
@pytest.mark.parametrize("n_features, n_semantic", SHAPES)
def test_flow_round_trip(n_features, n_semantic, n_blocks):
    """Check that inverse(forward(x)) recovers x, padded or not."""
    flow = _make_flow(n_features, n_semantic, n_blocks=n_blocks)
    x = torch.randn(5, n_features, dtype=torch.float64)
    c, z, _ = flow(x)
    torch.testing.assert_close(flow.inverse(c, z), x, rtol=0, atol=1e-4)
    if flow.n_padding == 0:
        # Without padding the flow is a bijection in the other direction too.
        c_back, z_back, _ = flow(flow.inverse(c + 0.1, z - 0.1))
        torch.testing.assert_close(c_back, c + 0.1, rtol=0, atol=1e-4)
        torch.testing.assert_close(z_back, z - 0.1, rtol=0, atol=1e-4)


@pytest.mark.parametrize("n_features, n_semantic", [(7, 3), (6, 5), (4, 1)])
def test_flow_log_det_matches_jacobian(n_features, n_semantic):
    """Check the flow's log-det against the autograd Jacobian of x -> [c ; z]."""
    flow = _make_flow(n_features, n_semantic, n_blocks=3)
    x = torch.randn(3, n_features, dtype=torch.float64)
    _, _, log_det = flow(x)
    expected = _jacobian_log_det(lambda r: torch.cat(flow(r)[:2], dim=1), x)
    torch.testing.assert_close(log_det, expected, rtol=1e-6, atol=1e-8)
    assert log_det.abs().max() > 0.1


def test_padded_flow_log_det_matches_jacobian():
    """Check the log-det of a padded flow: the Jacobian of the padded-space map."""
    flow = _make_flow(2, 3, n_blocks=3).eval()
    x = torch.randn(3, 2, dtype=torch.float64)
    _, _, log_det = flow(x)
    x_padded = torch.cat([x, torch.zeros(3, 3, dtype=torch.float64)], dim=1)
    expected = _jacobian_log_det(lambda r: flow._flow(r)[0], x_padded)
    torch.testing.assert_close(log_det, expected, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("padding_std", [0.5, 1.0])
def test_padding_is_noise_in_training_and_zero_in_evaluation(padding_std):
    """Check the augmented-flow padding: Gaussian noise in training, zeros after.

    The padding columns are recovered exactly by the inverse pass, so their
    moments are those of N(0, padding_std²) in training mode and zero in
    evaluation mode; the features themselves round-trip either way.
    """
    flow = _IZFFlow(3, 4, n_blocks=2, hidden_size=8, padding_std=padding_std)
    flow = _randomize(flow.double())
    x = torch.randn(4000, 3, dtype=torch.float64)
    for training in (True, False):
        flow.train(training)
        c, z, _ = flow(x)
        padded = flow._flow_inverse(torch.cat([c, z], dim=1))
        torch.testing.assert_close(padded[:, :3], x, rtol=0, atol=1e-6)
        if training:
            assert abs(padded[:, 3:].std().item() - padding_std) < 0.05 * padding_std
            assert abs(padded[:, 3:].mean().item()) < 0.05 * padding_std
        else:
            torch.testing.assert_close(
                padded[:, 3:], torch.zeros_like(padded[:, 3:]), rtol=0, atol=1e-6
            )


def test_default_init_is_small_but_not_identity():
    """Check that the default init starts near, but not at, volume preservation."""
    flow = _IZFFlow(6, 2, n_blocks=3, hidden_size=16).double()
    x = torch.randn(8, 6, dtype=torch.float64)
    _, _, log_det = flow(x)
    assert torch.all(log_det != 0)
    assert log_det.abs().max() < 0.1


def test_gradient_reaches_every_parameter():
    """Check that every parameter gets a finite, non-zero gradient from the loss."""
    flow = _IZFFlow(5, 3, n_blocks=2, hidden_size=8).double()
    x = torch.randn(6, 5, dtype=torch.float64)
    target = torch.randn(6, 3, dtype=torch.float64)
    semantics = torch.randn(2, 3, dtype=torch.float64)
    class_means = torch.randn(2, 5, dtype=torch.float64)
    c, z, log_det = flow(x)
    loss = (
        flow_nll(z, log_det, flow.n_dims)
        + semantic_loss(c, target)
        + centralizing_loss(flow.prototypes(semantics), class_means)
        - imq_mmd(x, flow.sample(semantics))
    )
    loss.backward()
    named = dict(flow.named_parameters())
    assert len(named) == 2 * 2 * 4  # blocks x sub-networks x (2 weights, 2 biases)
    for name, param in named.items():
        assert param.grad is not None, f"no gradient for {name}"
        assert torch.all(torch.isfinite(param.grad)), f"bad gradient for {name}"
        assert param.grad.abs().sum() > 0, f"zero gradient for {name}"


def test_eval_and_train_modes_agree():
    """Check that an unpadded flow has no mode-dependent layer."""
    flow = _make_flow(5, 2)
    x = torch.randn(4, 5, dtype=torch.float64)
    outputs_train = flow.train()(x)
    outputs_eval = flow.eval()(x)
    for out_train, out_eval in zip(outputs_train, outputs_eval, strict=True):
        assert torch.equal(out_train, out_eval)


def test_state_dict_round_trip():
    """Check that loading a state dict reproduces outputs, permutations included."""
    flow = _make_flow(5, 2, n_blocks=3, seed=0)
    other = _make_flow(5, 2, n_blocks=3, seed=1)
    assert not torch.equal(flow.layers[0].perm, other.layers[0].perm)
    other.load_state_dict(flow.state_dict())
    x = torch.randn(4, 5, dtype=torch.float64)
    for out, out_loaded in zip(flow(x), other(x), strict=True):
        assert torch.equal(out, out_loaded)
    c = torch.randn(4, 2, dtype=torch.float64)
    assert torch.equal(flow.prototypes(c), other.prototypes(c))


def test_repr():
    """Check that the repr shows the structure and the dimensions."""
    text = repr(_IZFFlow(2, 2, n_blocks=2, hidden_size=4))
    assert text.startswith("_IZFFlow(")
    assert "n_features=2, n_semantic=2, n_dims=4, n_noise=2, padding_std=1.0" in text
    assert text.count("_RandomPermutation(n_features=4)") == 2
    assert text.count("_AffineCoupling(") == 2
    assert text.count("n_features=4, hidden_size=4, clamp=2.0") == 2
    assert "LeakyReLU" in text


def test_permutations_depend_only_on_seed():
    """Check that the seed, not torch's global state, fixes the permutations."""
    torch.manual_seed(1)
    flow = _IZFFlow(9, 3, n_blocks=3, hidden_size=4, seed=7)
    torch.manual_seed(2)
    same = _IZFFlow(9, 3, n_blocks=3, hidden_size=4, seed=7)
    other = _IZFFlow(9, 3, n_blocks=3, hidden_size=4, seed=8)
    perms, same_perms, other_perms = (
        [layer.perm for layer in model.layers[::2]] for model in (flow, same, other)
    )
    assert all(map(torch.equal, perms, same_perms))
    assert not all(map(torch.equal, perms, other_perms))
    # Blocks draw successive permutations, not the same one.
    assert not torch.equal(perms[0], perms[1])


@pytest.mark.parametrize("n_features, n_semantic", [(6, 2), (2, 3)])
def test_huge_inputs_stay_finite(n_features, n_semantic):
    """Check that the soft clamp bounds the log-det for huge inputs."""
    flow = _make_flow(n_features, n_semantic, n_blocks=3)
    x = 1e8 * torch.randn(5, n_features, dtype=torch.float64)
    c, z, log_det = flow(x)
    assert torch.all(torch.isfinite(c)) and torch.all(torch.isfinite(z))
    assert torch.all(torch.isfinite(log_det))
    bound = 2.0 * flow.n_dims * flow.n_blocks
    assert torch.all(log_det.abs() < bound)
    # The clamp saturates: the raw log-scales here are far beyond 2.
    assert log_det.abs().max() > 0.25 * bound


def test_sample_and_prototypes_are_inverse_passes():
    """Check that sample and prototypes are inverse passes with N(0, I) and 0."""
    flow = _make_flow(3, 4)
    c = torch.randn(5, 4, dtype=torch.float64)
    z = torch.randn(
        5, flow.n_noise, generator=torch.Generator().manual_seed(11), dtype=c.dtype
    )
    samples = flow.sample(c, generator=torch.Generator().manual_seed(11))
    assert torch.equal(samples, flow.inverse(c, z))
    zeros = torch.zeros(5, flow.n_noise, dtype=c.dtype)
    assert torch.equal(flow.prototypes(c), flow.inverse(c, zeros))


def test_float32_round_trip_with_default_init():
    """Check invertibility in float32 with the default, wide configuration."""
    flow = _IZFFlow(64, 16, n_blocks=5, hidden_size=128)
    x = torch.rand(32, 64)
    c, z, log_det = flow(x)
    assert c.dtype == z.dtype == log_det.dtype == torch.float32
    torch.testing.assert_close(flow.inverse(c, z), x, rtol=0, atol=1e-4)


@pytest.mark.parametrize(
    "kwargs, err_msg",
    [
        ({"n_features": 0, "n_semantic": 2}, "n_features must be >= 1"),
        ({"n_features": 3, "n_semantic": 0}, "n_semantic must be >= 1"),
        ({"n_features": 3, "n_semantic": 2, "n_blocks": 0}, "n_blocks must be >= 1"),
        ({"n_features": 3, "n_semantic": 2, "hidden_size": 0}, "hidden_size must be"),
        ({"n_features": 3, "n_semantic": 2, "clamp": 0.0}, "clamp must be > 0"),
        ({"n_features": 2, "n_semantic": 2, "padding_std": -1.0}, "padding_std must"),
    ],
)
def test_invalid_arguments(kwargs, err_msg):
    """Check that invalid sizes raise a ValueError naming the argument."""
    with pytest.raises(ValueError, match=err_msg):
        _IZFFlow(**kwargs)
