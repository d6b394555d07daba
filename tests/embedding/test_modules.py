"""Maths of the DEM networks and of the penalised training loss."""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import io

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from sklearn_zsl.embedding import ClassPrototypes, DEMNetwork
from sklearn_zsl.embedding._modules import scaled_tanh
from sklearn_zsl.utils import PenalizedNeuralNet, TensorBatchIterator, TensorDataset

CONFIGS = {
    # name: (modality_dims, hidden_layer_sizes), n_features is 7
    "one-modality": (5, (6,)),
    "deep": (5, (6, 4)),
    "no-hidden": (5, ()),
    "fusion": ((3, 2), (6,)),
    "deep-fusion": ((3, 2, 4), (6, 5)),
}


def _network(name, dtype=torch.float64):
    modality_dims, hidden_layer_sizes = CONFIGS[name]
    return DEMNetwork(modality_dims, 7, hidden_layer_sizes).to(dtype)


def _inputs(network, n=11, scale=3.0):
    return scale * torch.randn(n, sum(network.modality_dims), dtype=torch.float64)


def _relu(x):
    return np.maximum(x, 0.0)


def _params(layer):
    return layer.weight.detach().numpy(), layer.bias.detach().numpy()


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_output_shape_and_non_negative(name):
    """Check that the embedding has n_features columns and no negative entry."""
    network = _network(name)
    out = network(_inputs(network))
    assert out.shape == (11, 7)
    assert out.dtype == torch.float64
    assert torch.all(out >= 0)
    # Some entries are strictly positive: the output is not trivially zero.
    assert torch.any(out > 0)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_gradient_reaches_every_parameter(name):
    """Check that every named parameter receives a non-zero gradient."""
    network = _network(name)
    network(_inputs(network, n=64, scale=1.0)).square().sum().backward()
    names = [n for n, _ in network.named_parameters()]
    assert names, "the network has no parameter"
    for param_name, param in network.named_parameters():
        assert param.grad is not None, param_name
        assert torch.count_nonzero(param.grad) > 0, param_name


def test_one_modality_matches_numpy():
    """Check the one-modality network against FC-ReLU-FC-ReLU in NumPy."""
    network = _network("one-modality")
    s = _inputs(network)
    (w1, b1), (w2, b2) = (_params(layer) for layer in network.layers)
    expected = _relu(_relu(s.numpy() @ w1.T + b1) @ w2.T + b2)
    assert_allclose(network(s).detach().numpy(), expected, rtol=1e-12)


def test_fusion_matches_numpy():
    """Check the fusion network: summed branches, scaled tanh, then FC-ReLU."""
    network = _network("fusion")
    s = _inputs(network).numpy()
    (wa, ba), (wb, bb) = (_params(branch) for branch in network.branches)
    (w, b) = _params(network.layers[0])
    hidden = (s[:, :3] @ wa.T + ba) + (s[:, 3:] @ wb.T + bb)
    hidden = 1.7159 * np.tanh(2.0 * hidden / 3.0)
    expected = _relu(hidden @ w.T + b)
    assert_allclose(network(torch.from_numpy(s)).detach().numpy(), expected, rtol=1e-12)


def test_output_offset_is_a_constant_before_the_output_relu():
    """Check that the offset shifts the output pre-activation and is not trained."""
    offset = torch.linspace(-1.0, 2.0, 7, dtype=torch.float64)
    network = DEMNetwork(5, 7, (6,), output_offset=offset).double()
    reference = DEMNetwork(5, 7, (6,)).double()
    reference.load_state_dict({**network.state_dict(), "output_offset": 0 * offset})
    s = _inputs(network)
    (w1, b1), (w2, b2) = (_params(layer) for layer in reference.layers)
    expected = _relu(_relu(s.numpy() @ w1.T + b1) @ w2.T + b2 + offset.numpy())
    assert_allclose(network(s).detach().numpy(), expected, rtol=1e-12)
    assert "output_offset" in dict(network.named_buffers())
    assert "output_offset" not in dict(network.named_parameters())
    assert torch.all(reference.output_offset == 0), "no offset by default"


def test_fusion_uses_every_modality():
    """Check that changing one modality's part of the input changes the output."""
    network = _network("fusion")
    s = _inputs(network)
    for columns in (slice(0, 3), slice(3, 5)):
        changed = s.clone()
        changed[:, columns] += 1.0
        assert not torch.allclose(network(s), network(changed))


def test_scaled_tanh():
    """Check LeCun's scaled tanh: odd, f(1) close to 1, bounded by 1.7159."""
    x = torch.linspace(-50, 50, 101, dtype=torch.float64)
    assert_allclose(scaled_tanh(-x), -scaled_tanh(x))
    assert_allclose(scaled_tanh(torch.tensor(1.0, dtype=torch.float64)), 1.0, atol=2e-4)
    assert torch.all(scaled_tanh(x).abs() <= 1.7159)


def test_initialisation():
    """Check truncated-normal weights of std 1/sqrt(fan_in) and biases of 0.1."""
    torch.manual_seed(0)
    network = DEMNetwork(400, 300, hidden_layer_sizes=(500,))
    for layer in network.layers:
        weight = layer.weight.detach().numpy()
        std = 1.0 / np.sqrt(layer.in_features)
        assert np.abs(weight).max() <= 2 * std
        # The std of a normal truncated at 2 sigma is 0.880 sigma.
        assert_allclose(weight.std(), 0.880 * std, rtol=0.02)
        assert_allclose(layer.bias.detach().numpy(), 0.1)
    fusion = DEMNetwork((300, 100), 50, hidden_layer_sizes=(200,))
    for branch in fusion.branches:
        assert_allclose(branch.weight.detach().std(), 0.880 / 20.0, rtol=0.05)


def test_fusion_needs_a_hidden_layer():
    """Check that fusing modalities without a hidden layer is refused."""
    with pytest.raises(AssertionError, match="at least one hidden layer"):
        DEMNetwork((3, 2), 7, hidden_layer_sizes=())


def test_forward_checks_input_width():
    """Check the shape assertion of the forward pass."""
    network = _network("fusion")
    with pytest.raises(AssertionError, match=r"shape \(n, 5\)"):
        network(torch.zeros(2, 4, dtype=torch.float64))


def test_repr():
    """Check that the repr shows the dimensions."""
    text = repr(_network("fusion"))
    assert "modality_dims=(3, 2), n_features=7, hidden_layer_sizes=(6,)" in text


def test_state_dict_round_trip():
    """Check that saving and loading the weights reproduces the outputs."""
    network = _network("deep-fusion")
    buffer = io.BytesIO()
    torch.save(network.state_dict(), buffer)
    buffer.seek(0)
    other = _network("deep-fusion")
    other.load_state_dict(torch.load(buffer, weights_only=True))
    s = _inputs(network)
    assert torch.equal(network(s), other(s))


def test_class_prototypes_equal_per_sample_embeddings():
    """Check that embedding distinct classes once and gathering is exact.

    The outputs and the gradients equal those of embedding each sample's class
    semantics separately, duplicates included.
    """
    semantics = torch.randn(6, 5, dtype=torch.float64)
    model = ClassPrototypes(semantics, 7, hidden_layer_sizes=(6,)).double()
    reference = copy.deepcopy(model.network)
    y_ind = torch.tensor([4, 1, 1, 0, 4, 4, 2])
    target = torch.rand(7, 7, dtype=torch.float64)

    out = model(y_ind)
    expected = reference(semantics[y_ind])
    assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-12)

    torch.nn.functional.mse_loss(out, target).backward()
    torch.nn.functional.mse_loss(expected, target).backward()
    for (name, param), ref in zip(
        model.network.named_parameters(), reference.parameters(), strict=True
    ):
        assert_allclose(param.grad.numpy(), ref.grad.numpy(), rtol=1e-10, err_msg=name)
    assert_allclose(
        model.all_prototypes().detach().numpy(),
        reference(semantics).detach().numpy(),
        rtol=1e-12,
    )


def test_class_prototypes_semantics_is_a_buffer():
    """Check that the class semantics are saved with the weights, not trained."""
    model = ClassPrototypes(torch.randn(4, 3), 5, hidden_layer_sizes=(2,))
    assert "class_semantics" in model.state_dict()
    assert all(p is not model.class_semantics for p in model.parameters())


def _tiny_net(alpha):
    semantics = torch.tensor(
        [[1.0, -2.0], [0.5, 0.0], [-1.0, 1.0]], dtype=torch.float64
    )
    net = PenalizedNeuralNet(
        ClassPrototypes,
        module__class_semantics=semantics,
        module__n_features=3,
        module__hidden_layer_sizes=(2,),
        criterion=torch.nn.MSELoss,
        optimizer=torch.optim.Adam,
        alpha=alpha,
        lr=0.01,
        max_epochs=1,
        batch_size=-1,
        iterator_train=TensorBatchIterator,
        iterator_valid=TensorBatchIterator,
        train_split=None,
        verbose=0,
    )
    net.initialize()
    net.module_.double()
    net.initialize_optimizer()
    return net


def test_loss_equals_hand_computed_value():
    """Check the DEM loss as coded officially on a tiny batch, by hand.

    Per-element mean squared error (over samples and features) plus
    alpha/2 times the sum of squares of all weights and biases: the net's
    loss is the first term, its penalty the second.
    """
    alpha = 0.3
    net = _tiny_net(alpha)
    network = net.module_.network
    (w1, b1), (w2, b2) = (_params(layer) for layer in network.layers)
    y_ind = torch.tensor([0, 2, 2])
    x = np.array([[0.5, 1.0, 0.0], [2.0, 0.0, 1.0], [0.0, 0.0, 3.0]])
    s = net.module_.class_semantics.numpy()[y_ind.numpy()]

    f = _relu(_relu(s @ w1.T + b1) @ w2.T + b2)
    data_term = sum((f[i, j] - x[i, j]) ** 2 for i in range(3) for j in range(3)) / 9
    squares = sum(float(np.sum(p**2)) for p in (w1, b1, w2, b2))

    y_pred = net.infer(y_ind)
    for training in (True, False):
        loss = net.get_loss(y_pred, torch.from_numpy(x), training=training)
        assert_allclose(loss.item(), data_term, rtol=1e-12)
    assert_allclose(net.penalty(), alpha / 2 * squares, rtol=1e-12)
    assert_allclose(
        loss.item() + net.penalty(), data_term + alpha / 2 * squares, rtol=1e-12
    )


def test_history_records_the_penalty():
    """Check that every epoch records the penalty after it."""
    net = _tiny_net(0.3)
    y_ind = torch.tensor([0, 2, 2, 1])
    x = torch.rand(4, 3, dtype=torch.float64)
    net.partial_fit(TensorDataset(y_ind, x), None)
    assert_allclose(net.history[-1, "penalty"], net.penalty(), rtol=1e-12)


def test_training_step_descends_the_penalised_objective():
    """Check that skorch's step equals Adam on the autograd-penalised loss.

    The penalty's gradient comes from the optimiser's weight decay; a step
    must equal one taken by differentiating the whole objective.
    """
    alpha = 0.3
    net = _tiny_net(alpha)
    reference = copy.deepcopy(net.module_)
    optimizer = torch.optim.Adam(reference.parameters(), lr=0.01)

    y_ind = torch.tensor([0, 2, 2, 1])
    x = torch.rand(4, 3, dtype=torch.float64)
    for _ in range(3):
        net.train_step((y_ind, x))
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(reference(y_ind), x)
        loss = loss + alpha / 2 * sum(p.square().sum() for p in reference.parameters())
        loss.backward()
        optimizer.step()
    for trained, expected in zip(
        net.module_.parameters(), reference.parameters(), strict=True
    ):
        assert_allclose(trained.detach().numpy(), expected.detach().numpy(), rtol=1e-10)


def test_tensor_batch_iterator():
    """Check that the iterator slices every row once and keeps the last batch."""
    X = torch.arange(10).reshape(10, 1).repeat(1, 3)
    y = torch.arange(10)
    dataset = TensorDataset(y, X)
    iterator = TensorBatchIterator(dataset, batch_size=4)
    batches = list(iterator)
    assert len(iterator) == len(batches) == 3
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    assert torch.equal(torch.cat([b[0] for b in batches]), y)
    # Without shuffling a batch is a view of the data: no copy.
    assert batches[0][1].data_ptr() == X.data_ptr()

    shuffled = TensorBatchIterator(dataset, batch_size=4, shuffle=True, seed=0)
    first, second = (torch.cat([b[0] for b in shuffled]) for _ in range(2))
    assert torch.equal(first.sort().values, y)
    assert not torch.equal(first, second), "a new permutation at every pass"
    for batch in shuffled:
        assert torch.equal(batch[1][:, 0], batch[0]), "rows stay aligned"
    again = TensorBatchIterator(dataset, batch_size=4, shuffle=True, seed=0)
    assert torch.equal(torch.cat([b[0] for b in again]), first)
