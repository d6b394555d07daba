"""Tests for the IZF loss functions."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from sklearn_zsl.flow._losses import (
    IMQ_SCALES,
    _imq_kernel,
    _squared_distances,
    centralizing_loss,
    flow_nll,
    imq_mmd,
    negative_mmd_loss,
    semantic_loss,
)


def _numpy_imq_mmd(x: np.ndarray, y: np.ndarray, scales) -> float:
    """Independent, loop-based biased IMQ MMD² used as a reference."""

    def mean_kernel(a, b):
        total = 0.0
        for a_row in a:
            for b_row in b:
                sq = float(np.sum((a_row - b_row) ** 2))
                total += sum(scale / (scale + sq) for scale in scales)
        return total / (len(a) * len(b))

    return mean_kernel(x, x) + mean_kernel(y, y) - 2 * mean_kernel(x, y)


def test_flow_nll_hand_computed():
    """Check the NLL against numbers computed by hand."""
    z = torch.zeros(3, 2, dtype=torch.float64)
    log_det = torch.zeros(3, dtype=torch.float64)
    # 0.5 * 2 * log(2 pi) / 4
    assert_allclose(flow_nll(z, log_det, 4).item(), 0.4594692666023363, rtol=1e-12)

    z = torch.tensor([[1.0, 2.0], [0.0, 0.0]], dtype=torch.float64)
    log_det = torch.tensor([3.0, -1.0], dtype=torch.float64)
    # rows: (2.5 + log 2 pi - 3) / 5 and (log 2 pi + 1) / 5
    expected = 0.5 * (0.26757541328186906 + 0.5675754132818691)
    assert_allclose(flow_nll(z, log_det, 5).item(), expected, rtol=1e-12)


def test_flow_nll_matches_gaussian_log_prob():
    """Check the NLL against torch's standard normal log-density."""
    z = torch.randn(7, 4, dtype=torch.float64)
    log_det = torch.randn(7, dtype=torch.float64)
    normal = torch.distributions.Normal(0.0, 1.0)
    expected = -(normal.log_prob(z).sum(dim=1) + log_det).mean() / 9
    torch.testing.assert_close(flow_nll(z, log_det, 9), expected)


def test_semantic_loss_hand_computed():
    """Check that the semantic loss is the mean of squared errors."""
    c = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)
    target = torch.tensor([[1.0, 0.0], [0.0, 4.0]], dtype=torch.float64)
    assert semantic_loss(c, target).item() == pytest.approx(13 / 4)
    assert semantic_loss(c, c).item() == 0.0


def test_centralizing_loss_hand_computed():
    """Check the mean, unsquared L2 distance and its gradient at zero distance."""
    prototypes = torch.tensor([[3.0, 4.0], [1.0, 0.0]], dtype=torch.float64)
    prototypes.requires_grad_(True)
    class_means = torch.tensor([[0.0, 0.0], [1.0, 0.0]], dtype=torch.float64)
    loss = centralizing_loss(prototypes, class_means)
    assert loss.item() == pytest.approx(5.0 / 2)
    loss.backward()
    # d/dp of ||p - m|| / 2 is the unit vector / 2, and zero where p == m.
    expected = torch.tensor([[0.3, 0.4], [0.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(prototypes.grad, expected)


def test_imq_mmd_of_identical_samples_is_zero():
    """Check that the MMD of a sample with itself vanishes."""
    x = torch.randn(6, 3, dtype=torch.float64)
    assert abs(imq_mmd(x, x).item()) < 1e-12


def test_imq_mmd_two_points_hand_computed():
    """Check the MMD of two one-point samples against a hand computation."""
    x = torch.tensor([[0.0, 0.0]], dtype=torch.float64)
    y = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
    # 2 * (6 - sum_C C / (C + 1)) = 2 * (6 - 3.35) over the default scales.
    assert imq_mmd(x, y).item() == pytest.approx(5.3, rel=1e-12)
    # One scale, squared distance 4: 2 * (1 - 1 / 5).
    y = torch.tensor([[0.0, 2.0]], dtype=torch.float64)
    assert imq_mmd(x, y, scales=(1.0,)).item() == pytest.approx(1.6, rel=1e-12)


@pytest.mark.parametrize("scales", [IMQ_SCALES, (1.5, 3.0, 5.0, 10.0), (2.0,)])
def test_imq_mmd_matches_numpy(scales):
    """Check the vectorised MMD against an independent loop implementation."""
    rng = np.random.RandomState(0)
    x = rng.normal(size=(5, 3))
    y = rng.normal(loc=0.5, size=(4, 3))
    mmd = imq_mmd(torch.from_numpy(x), torch.from_numpy(y), scales=scales)
    assert_allclose(mmd.item(), _numpy_imq_mmd(x, y, scales), rtol=1e-10)


def test_imq_mmd_positive_symmetric_and_differentiable():
    """Check MMD > 0 for different samples, symmetry and finite gradients."""
    x = torch.randn(8, 4, dtype=torch.float64, requires_grad=True)
    y = (torch.randn(8, 4, dtype=torch.float64) + 2.0).requires_grad_(True)
    mmd = imq_mmd(x, y)
    assert mmd.item() > 0.1
    torch.testing.assert_close(mmd, imq_mmd(y, x))
    mmd.backward()
    for grad in (x.grad, y.grad):
        assert torch.all(torch.isfinite(grad))
        assert grad.abs().sum() > 0


def test_imq_kernel_gradient_matches_autograd_of_the_written_out_sum():
    """Check the kernel's own derivative against autograd and finite differences.

    The kernel computes its derivative with its value; it must equal what
    autograd gives for the sum over scales written out, and pass gradcheck.
    """
    gen = torch.Generator().manual_seed(0)
    sq_dist = 3 * torch.rand(6, 5, generator=gen, dtype=torch.float64)
    sq_dist.requires_grad_()
    weights = torch.randn(6, 5, generator=gen, dtype=torch.float64)
    (_imq_kernel(sq_dist, IMQ_SCALES) * weights).sum().backward()
    ours = sq_dist.grad.clone()
    sq_dist.grad = None
    written_out = sum(scale / (scale + sq_dist) for scale in IMQ_SCALES)
    torch.testing.assert_close(_imq_kernel(sq_dist, IMQ_SCALES), written_out)
    (written_out * weights).sum().backward()
    torch.testing.assert_close(ours, sq_dist.grad)
    assert torch.autograd.gradcheck(
        lambda d: _imq_kernel(d, (0.5, 2.0)), (sq_dist.detach().requires_grad_(),)
    )


def test_squared_distances_are_clamped_at_zero():
    """Check that rounding never makes a squared distance negative."""
    x = 1e8 + torch.randn(5, 3, dtype=torch.float64) * 1e-4
    sq = _squared_distances(x, x)
    assert torch.all(sq >= 0)
    # A sample far from the origin keeps a finite, zero-distance diagonal.
    assert math.isfinite(imq_mmd(x, x).item())


def test_negative_mmd_loss_hand_computed():
    """Check the unbounded term, the hinge and the range penalty by hand."""
    x = torch.tensor([[0.0, 0.0]], dtype=torch.float64)
    negatives = torch.tensor([[1.0, 0.0]], dtype=torch.float64, requires_grad=True)
    # MMD² = 5.3 (see above); the negative lies in [0, 1]^2: no range penalty.
    assert negative_mmd_loss(x, negatives).item() == pytest.approx(-5.3)
    assert negative_mmd_loss(x, negatives, margin=6.0).item() == pytest.approx(0.7)
    assert negative_mmd_loss(x, negatives, 6.0, range_weight=3.0).item() == (
        pytest.approx(0.7)
    )
    # Beyond the margin the hinge is flat: zero loss, zero gradient.
    loss = negative_mmd_loss(x, negatives, margin=5.0)
    loss.backward()
    assert loss.item() == 0.0
    assert torch.all(negatives.grad == 0)
    # Squared distances to the box [0, 1]^2: 0.5^2 = 0.25 and 1^2 + 1^2 = 2,
    # mean 1.125, times range_weight 2.
    negatives = torch.tensor([[1.5, 0.5], [-1.0, 2.0]], dtype=torch.float64)
    mmd = imq_mmd(x, negatives).item()
    assert negative_mmd_loss(x, negatives, range_weight=2.0).item() == (
        pytest.approx(-mmd + 2.25)
    )
    assert negative_mmd_loss(x, negatives, 100.0, range_weight=2.0).item() == (
        pytest.approx(100.0 - mmd + 2.25)
    )
