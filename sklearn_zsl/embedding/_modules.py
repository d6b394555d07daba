"""Networks of the Deep Embedding Model (DEM) of Zhang, Xiang and Gong (CVPR 2017).

DEM maps the semantic vector of a class into the visual feature space, where
the embedded vector serves as the prototype of the class. With one semantic
modality the map is a multilayer perceptron whose every layer, the output layer
included, is a linear layer followed by a ReLU (the prototypes are thus
non-negative, like the post-ReLU pooled features of a CNN). With several
modalities each one has its own linear branch to the first hidden layer; the
branches are summed, squashed by LeCun's scaled tanh and passed on.

Everything here is a plain :class:`torch.nn.Module`: no NumPy, no scikit-learn
validation, no optimiser. The estimator wraps these modules.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

# LeCun's scaled tanh, f(x) = 1.7159 tanh(2x / 3) ("Efficient BackProp", 1998),
# used by the DEM paper to fuse several modalities.
_TANH_SCALE = 1.7159
_TANH_SLOPE = 2.0 / 3.0
# Biases start slightly positive so that every ReLU unit, the output units
# included, is active at initialisation: an output unit that is negative for
# every class would get no gradient and stay dead.
_BIAS_INIT = 0.1


def scaled_tanh(x: torch.Tensor) -> torch.Tensor:
    """LeCun's scaled hyperbolic tangent ``1.7159 * tanh(2 x / 3)``.

    Parameters
    ----------
    x : torch.Tensor
        Input of any shape.

    Returns
    -------
    y : torch.Tensor
        Same shape as ``x``, with values in (-1.7159, 1.7159).
    """
    return _TANH_SCALE * torch.tanh(_TANH_SLOPE * x)


def _init_linear(layer: nn.Linear, fan_in: int) -> None:
    """Truncated-normal weights of standard deviation ``1 / sqrt(fan_in)``."""
    std = 1.0 / math.sqrt(fan_in)
    nn.init.trunc_normal_(layer.weight, std=std, a=-2.0 * std, b=2.0 * std)
    nn.init.constant_(layer.bias, _BIAS_INIT)


class DEMNetwork(nn.Module):
    """Map class semantic vectors into the visual feature space.

    Parameters
    ----------
    modality_dims : int or sequence of int
        Dimension of the semantic input; a sequence of several dimensions
        means several modalities, concatenated in that order in the input, and
        selects the fusion network.
    n_features : int
        Dimension of the visual feature space (the output).
    hidden_layer_sizes : sequence of int, default=(1024,)
        Widths of the hidden layers. The fusion network needs at least one:
        the modalities are summed in the first hidden layer.
    output_offset : torch.Tensor of shape (n_features,), default=None
        A constant added to the output layer before its ReLU, e.g. the mean of
        the regression targets: a fixed, untrained part of the output bias,
        so that the network starts near the mean and the L2 penalty on the
        trained parameters does not pull the output towards zero. ``None``
        means zero: the network of the paper.

    Notes
    -----
    With one modality the network is ``(Linear -> ReLU)`` repeated for every
    hidden layer and for the output layer. With modalities
    :math:`s^{(1)}, \\dots, s^{(M)}` the first hidden layer is
    :math:`h = f(\\sum_m W_m s^{(m)} + b_m)` with the scaled tanh
    :math:`f(x) = 1.7159 \\tanh(2x/3)`, followed by ``(Linear -> ReLU)`` layers
    up to the output.

    Weights are drawn from a normal distribution of standard deviation
    :math:`1/\\sqrt{\\text{fan-in}}` truncated at two standard deviations (the
    fan-in of a fusion branch is the total semantic dimension, so that the sum
    of the branches has the scale of one layer) and biases are set to 0.1.
    The official code uses a fixed standard deviation of 0.1 instead, which
    makes the initial outputs grow with the width of the layers.

    Examples
    --------
    >>> import torch
    >>> from sklearn_zsl.embedding import DEMNetwork
    >>> network = DEMNetwork(85, 2048, hidden_layer_sizes=(1600,))
    >>> network(torch.randn(4, 85)).shape
    torch.Size([4, 2048])
    >>> fusion = DEMNetwork((85, 300), 2048, hidden_layer_sizes=(900,))
    >>> len(fusion.branches), bool(fusion(torch.randn(4, 385)).min() >= 0)
    (2, True)
    """

    def __init__(
        self,
        modality_dims: int | Sequence[int],
        n_features: int,
        hidden_layer_sizes: Sequence[int] = (1024,),
        output_offset: torch.Tensor | None = None,
    ):
        super().__init__()
        if isinstance(modality_dims, int):
            modality_dims = (modality_dims,)
        self.modality_dims = tuple(int(d) for d in modality_dims)
        self.n_features = int(n_features)
        self.hidden_layer_sizes = tuple(int(h) for h in hidden_layer_sizes)
        assert self.modality_dims and min(self.modality_dims) >= 1, (
            f"modality_dims must be positive, got {self.modality_dims}"
        )
        assert self.n_features >= 1, f"n_features must be >= 1, got {n_features}"
        assert not self.fusion or self.hidden_layer_sizes, (
            "fusing several modalities needs at least one hidden layer"
        )
        if output_offset is None:
            output_offset = torch.zeros(self.n_features)
        assert output_offset.shape == (self.n_features,), (
            f"output_offset must have shape ({self.n_features},), got "
            f"{tuple(output_offset.shape)}"
        )
        self.register_buffer("output_offset", output_offset.detach().clone())

        if self.fusion:
            width = self.hidden_layer_sizes[0]
            self.branches = nn.ModuleList(
                nn.Linear(d, width) for d in self.modality_dims
            )
            sizes = (*self.hidden_layer_sizes, self.n_features)
        else:
            self.branches = nn.ModuleList()
            sizes = (*self.modality_dims, *self.hidden_layer_sizes, self.n_features)
        self.layers = nn.ModuleList(
            nn.Linear(n_in, n_out)
            for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
        )
        self.reset_parameters()

    @property
    def fusion(self) -> bool:
        """Whether the network fuses several modalities."""
        return len(self.modality_dims) > 1

    def reset_parameters(self) -> None:
        """Draw new weights and reset the biases to 0.1 (see Notes)."""
        for branch in self.branches:
            _init_linear(branch, sum(self.modality_dims))
        for layer in self.layers:
            _init_linear(layer, layer.in_features)

    def extra_repr(self) -> str:
        return (
            f"modality_dims={self.modality_dims}, n_features={self.n_features}, "
            f"hidden_layer_sizes={self.hidden_layer_sizes}"
        )

    def forward(self, semantics: torch.Tensor) -> torch.Tensor:
        """Embed semantic vectors.

        Parameters
        ----------
        semantics : torch.Tensor of shape (n, sum(modality_dims))
            One semantic vector per row, the modalities concatenated.

        Returns
        -------
        embedding : torch.Tensor of shape (n, n_features)
            Non-negative embedded vectors.
        """
        assert semantics.dim() == 2 and semantics.shape[1] == sum(self.modality_dims), (
            f"expected semantics of shape (n, {sum(self.modality_dims)}), got "
            f"{tuple(semantics.shape)}"
        )
        h = semantics
        if self.fusion:
            parts = torch.split(semantics, self.modality_dims, dim=1)
            h = scaled_tanh(
                sum(b(p) for b, p in zip(self.branches, parts, strict=True))
            )
        for layer in self.layers[:-1]:
            h = torch.relu(layer(h))
        return torch.relu(self.layers[-1](h) + self.output_offset)


class ClassPrototypes(nn.Module):
    """Embed the semantics of classes given by their index.

    The semantic matrix of all classes is a buffer; the forward pass takes class
    indices, embeds each distinct class once and gathers the result. For a
    mini-batch this gives exactly the per-sample embeddings, at the cost of the
    distinct classes of the batch only.

    Parameters
    ----------
    class_semantics : torch.Tensor of shape (n_classes, sum(modality_dims))
        Semantic vector of every class, one row per class index.
    n_features : int
        Dimension of the visual feature space.
    hidden_layer_sizes : sequence of int, default=(1024,)
        Widths of the hidden layers of :class:`DEMNetwork`.
    modality_dims : sequence of int, default=None
        Dimensions of the modalities concatenated in ``class_semantics``;
        ``None`` means a single modality.
    output_offset : torch.Tensor of shape (n_features,), default=None
        Constant added before the output ReLU of :class:`DEMNetwork`.

    Examples
    --------
    >>> import torch
    >>> from sklearn_zsl.embedding import ClassPrototypes
    >>> model = ClassPrototypes(torch.randn(5, 3), 8, hidden_layer_sizes=(16,))
    >>> out = model(torch.tensor([4, 0, 4]))
    >>> out.shape, bool(torch.equal(out[0], out[2]))
    (torch.Size([3, 8]), True)
    >>> model.all_prototypes().shape
    torch.Size([5, 8])
    """

    def __init__(
        self,
        class_semantics: torch.Tensor,
        n_features: int,
        hidden_layer_sizes: Sequence[int] = (1024,),
        modality_dims: Sequence[int] | None = None,
        output_offset: torch.Tensor | None = None,
    ):
        super().__init__()
        assert class_semantics.dim() == 2, (
            f"class_semantics must be 2-D, got shape {tuple(class_semantics.shape)}"
        )
        if modality_dims is None:
            modality_dims = (class_semantics.shape[1],)
        self.register_buffer("class_semantics", class_semantics.detach().clone())
        self.network = DEMNetwork(
            modality_dims, n_features, hidden_layer_sizes, output_offset=output_offset
        )

    def forward(self, class_index: torch.Tensor) -> torch.Tensor:
        """Return the embedded prototype of the class of every index.

        Parameters
        ----------
        class_index : torch.Tensor of shape (n,)
            Integer class indices (rows of ``class_semantics``).

        Returns
        -------
        prototypes : torch.Tensor of shape (n, n_features)
            Row ``i`` is the embedding of ``class_semantics[class_index[i]]``.
        """
        assert class_index.dim() == 1, (
            f"class_index must be 1-D, got shape {tuple(class_index.shape)}"
        )
        classes, inverse = torch.unique(class_index, return_inverse=True)
        return self.network(self.class_semantics[classes])[inverse]

    def all_prototypes(self) -> torch.Tensor:
        """Return the embedded prototypes of all classes, in index order.

        Returns
        -------
        prototypes : torch.Tensor of shape (n_classes, n_features)
            Row ``c`` is the embedding of ``class_semantics[c]``.
        """
        return self.network(self.class_semantics)
