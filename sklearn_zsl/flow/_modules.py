"""Invertible building blocks of the Invertible Zero-shot Flow (IZF).

The flow is a stack of fixed random permutations and Glow-style affine coupling
blocks, as in Shen et al. (ECCV 2020). Its forward pass factorises a visual
feature vector into a semantic factor ``c`` (trained to match the class
semantics) and a non-semantic factor ``z`` (prior N(0, I)); its inverse pass
generates features from ``[c ; z]``.

Everything here is a plain :class:`torch.nn.Module`: no NumPy, no scikit-learn
validation, no optimiser. The estimator wraps these modules.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import torch
from torch import nn


def _soft_clamp(s_raw: torch.Tensor, clamp: float) -> torch.Tensor:
    """Squash raw log-scales smoothly into the open interval (-clamp, clamp).

    ``clamp * tanh(s_raw / clamp)`` has slope 1 at the origin, so small
    log-scales pass through almost unchanged, and it saturates for large ones,
    so that ``exp(s)`` and the log-determinant stay finite whatever the input.

    Parameters
    ----------
    s_raw : torch.Tensor
        Unbounded log-scales predicted by a sub-network.
    clamp : float
        Bound on the absolute value of the result, > 0.

    Returns
    -------
    s : torch.Tensor
        Bounded log-scales, same shape as ``s_raw``.
    """
    # clamp * tanh(u) with u = s_raw / clamp, computed as the equal
    # clamp * (2 sigmoid(2 u) - 1): torch's CPU sigmoid is about three times
    # faster than its tanh, and the soft clamp runs in every coupling
    return torch.sigmoid(s_raw * (2.0 / clamp)) * (2.0 * clamp) - clamp


def _subnet(in_features: int, hidden_size: int, out_features: int) -> nn.Sequential:
    """Build the coupling sub-network ``Linear -> LeakyReLU -> Linear``."""
    return nn.Sequential(
        nn.Linear(in_features, hidden_size),
        nn.LeakyReLU(),
        nn.Linear(hidden_size, out_features),
    )


class _RandomPermutation(nn.Module):
    """Fixed random permutation of the feature dimensions.

    The permutation and its inverse are buffers (saved in the ``state_dict``,
    never trained). Its log-determinant is zero.

    Parameters
    ----------
    n_features : int
        Number of dimensions to permute.
    generator : torch.Generator, default=None
        Source of randomness for the permutation. ``None`` uses a fresh
        generator seeded with 0, so the permutation is always reproducible.
    """

    def __init__(self, n_features: int, *, generator: torch.Generator | None = None):
        super().__init__()
        if n_features < 1:
            raise ValueError(f"n_features must be >= 1, got {n_features}.")
        if generator is None:
            generator = torch.Generator().manual_seed(0)
        self.n_features = n_features
        perm = torch.randperm(n_features, generator=generator)
        self.register_buffer("perm", perm)
        self.register_buffer("inv_perm", torch.argsort(perm))

    def extra_repr(self) -> str:
        return f"n_features={self.n_features}"

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Permute the columns of ``x``.

        Parameters
        ----------
        x : torch.Tensor of shape (n_samples, n_features)
            Input.

        Returns
        -------
        y : torch.Tensor of shape (n_samples, n_features)
            Permuted input.
        log_det : torch.Tensor of shape (n_samples,)
            Zeros: a permutation preserves volume.
        """
        assert x.ndim == 2 and x.shape[1] == self.n_features, (
            f"expected shape (n_samples, {self.n_features}), got {tuple(x.shape)}"
        )
        # index_select, not x[:, perm]: its backward is an index_add, several
        # times faster than the accumulating index_put of fancy indexing
        return x.index_select(1, self.perm), x.new_zeros(x.shape[0])

    def inverse(self, y: torch.Tensor) -> torch.Tensor:
        """Undo the permutation.

        Parameters
        ----------
        y : torch.Tensor of shape (n_samples, n_features)
            Permuted input.

        Returns
        -------
        x : torch.Tensor of shape (n_samples, n_features)
            Input in the original order.
        """
        assert y.ndim == 2 and y.shape[1] == self.n_features, (
            f"expected shape (n_samples, {self.n_features}), got {tuple(y.shape)}"
        )
        return y.index_select(1, self.inv_perm)


class _AffineCoupling(nn.Module):
    """Glow-style affine coupling block made of two half-couplings.

    The input is split into ``x1`` (the first ``n_features // 2`` columns) and
    ``x2`` (the rest). Then::

        s2, t2 = first_net(x2);  y1 = x1 * exp(s2) + t2
        s1, t1 = second_net(y1); y2 = x2 * exp(s1) + t1

    Each sub-network is ``Linear -> LeakyReLU -> Linear`` and predicts the
    log-scale ``s`` and the shift ``t`` jointly; log-scales are soft-clamped to
    ``(-clamp, clamp)`` by ``clamp * tanh(s / clamp)``. The log-determinant of
    the Jacobian is the sum of all clamped log-scales.

    Parameters
    ----------
    n_features : int
        Width of the input, >= 2.
    hidden_size : int, default=1024
        Hidden width of both sub-networks.
    clamp : float, default=2.0
        Bound on the absolute value of every log-scale.
    init_scale : float, default=0.01
        Every weight matrix is drawn from ``init_scale * N(0, 1)`` and every
        bias is zero, so the block starts close to (but not exactly) the
        identity and every parameter receives a gradient from the first step.
    """

    def __init__(
        self,
        n_features: int,
        *,
        hidden_size: int = 1024,
        clamp: float = 2.0,
        init_scale: float = 0.01,
    ):
        super().__init__()
        if n_features < 2:
            raise ValueError(f"n_features must be >= 2, got {n_features}.")
        if hidden_size < 1:
            raise ValueError(f"hidden_size must be >= 1, got {hidden_size}.")
        if not clamp > 0:
            raise ValueError(f"clamp must be > 0, got {clamp}.")
        self.n_features = n_features
        self.hidden_size = hidden_size
        self.clamp = clamp
        self.init_scale = init_scale
        self.n_first = n_features // 2
        self.n_second = n_features - self.n_first
        # first_net reads x2 and transforms x1; second_net reads y1, transforms x2.
        self.first_net = _subnet(self.n_second, hidden_size, 2 * self.n_first)
        self.second_net = _subnet(self.n_first, hidden_size, 2 * self.n_second)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw weights from ``init_scale * N(0, 1)`` and zero the biases."""
        for layer in self.modules():
            if isinstance(layer, nn.Linear):
                nn.init.normal_(layer.weight, mean=0.0, std=self.init_scale)
                nn.init.zeros_(layer.bias)

    def extra_repr(self) -> str:
        return (
            f"n_features={self.n_features}, hidden_size={self.hidden_size}, "
            f"clamp={self.clamp}"
        )

    def _scale_shift(
        self, subnet: nn.Module, h: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Return the soft-clamped log-scale and the shift predicted from ``h``."""
        s_raw, t = subnet(h).chunk(2, dim=1)
        return _soft_clamp(s_raw, self.clamp), t

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Apply the coupling block.

        Parameters
        ----------
        x : torch.Tensor of shape (n_samples, n_features)
            Input.

        Returns
        -------
        y : torch.Tensor of shape (n_samples, n_features)
            Output.
        log_det : torch.Tensor of shape (n_samples,)
            ``log |det dy/dx|`` for each sample.
        """
        assert x.ndim == 2 and x.shape[1] == self.n_features, (
            f"expected shape (n_samples, {self.n_features}), got {tuple(x.shape)}"
        )
        x1, x2 = x[:, : self.n_first], x[:, self.n_first :]
        s2, t2 = self._scale_shift(self.first_net, x2)
        y1 = x1 * torch.exp(s2) + t2
        s1, t1 = self._scale_shift(self.second_net, y1)
        y2 = x2 * torch.exp(s1) + t1
        log_det = s2.sum(dim=1) + s1.sum(dim=1)
        return torch.cat([y1, y2], dim=1), log_det

    def inverse(self, y: torch.Tensor) -> torch.Tensor:
        """Invert the coupling block.

        Parameters
        ----------
        y : torch.Tensor of shape (n_samples, n_features)
            Output of :meth:`forward`.

        Returns
        -------
        x : torch.Tensor of shape (n_samples, n_features)
            The input that :meth:`forward` maps to ``y``.
        """
        assert y.ndim == 2 and y.shape[1] == self.n_features, (
            f"expected shape (n_samples, {self.n_features}), got {tuple(y.shape)}"
        )
        y1, y2 = y[:, : self.n_first], y[:, self.n_first :]
        s1, t1 = self._scale_shift(self.second_net, y1)
        x2 = (y2 - t1) * torch.exp(-s1)
        s2, t2 = self._scale_shift(self.first_net, x2)
        x1 = (y1 - t2) * torch.exp(-s2)
        return torch.cat([x1, x2], dim=1)


class _IZFFlow(nn.Module):
    """Invertible flow factorising features into semantic and noise factors.

    ``n_blocks`` repetitions of a fixed random permutation followed by an
    affine coupling block. The forward pass maps a feature vector ``x`` to
    ``[c ; z]``: ``c`` holds the first ``n_semantic`` outputs (the semantic
    factor), ``z`` the remaining ``n_noise`` ones (prior N(0, I)).

    The flow needs more dimensions than ``n_semantic``. When
    ``n_features <= n_semantic``, inputs are padded to a width of
    ``n_semantic + n_features`` (so ``z`` has ``n_features`` dimensions; the
    paper's 2-D toy data with 2-D semantics becomes 4-D), and the inverse pass
    returns only the first ``n_features`` columns, i.e. generated samples come
    back in the original feature space. Otherwise the width is ``n_features``
    and nothing is padded.

    In training mode the padding columns are Gaussian noise of standard
    deviation ``padding_std`` (an augmented flow: the density of ``x`` times
    that of the noise), in evaluation mode their mean, zero. Constant (zero)
    padding in training is degenerate: a density on a lower-dimensional set
    has no upper bound, so the couplings pin their log-scales on the padding
    at the clamp and collect log-determinant for free, and the reverse pass
    generates off that set.

    Parameters
    ----------
    n_features : int
        Number of input features, >= 1.
    n_semantic : int
        Dimension of the class semantics, i.e. of the semantic factor, >= 1.
    n_blocks : int, default=5
        Number of permutation + coupling repetitions.
    hidden_size : int, default=1024
        Hidden width of every coupling sub-network.
    clamp : float, default=2.0
        Bound on the absolute value of every log-scale; see
        :class:`_AffineCoupling`.
    init_scale : float, default=0.01
        Standard deviation of the initial weights; see :class:`_AffineCoupling`.
        The weights are drawn from torch's global random generator, as for any
        :class:`torch.nn.Module`.
    seed : int, default=0
        Seed of the random permutations (independent of torch's global
        random state, so the flow's structure is reproducible).
    padding_std : float, default=1.0
        Standard deviation of the padding noise in training, >= 0; 0 pads
        with zeros (degenerate, kept for comparison).

    Attributes
    ----------
    n_dims : int
        Width of the flow (after padding); the dimension of the density that
        :meth:`forward` measures.
    n_noise : int
        Dimension of the non-semantic factor ``z``: ``n_dims - n_semantic``.
    n_padding : int
        Number of padding columns appended to the inputs:
        ``n_dims - n_features``.
    layers : torch.nn.ModuleList
        Alternating :class:`_RandomPermutation` and :class:`_AffineCoupling`.
    """

    def __init__(
        self,
        n_features: int,
        n_semantic: int,
        *,
        n_blocks: int = 5,
        hidden_size: int = 1024,
        clamp: float = 2.0,
        init_scale: float = 0.01,
        seed: int = 0,
        padding_std: float = 1.0,
    ):
        super().__init__()
        for name, value in [
            ("n_features", n_features),
            ("n_semantic", n_semantic),
            ("n_blocks", n_blocks),
        ]:
            if value < 1:
                raise ValueError(f"{name} must be >= 1, got {value}.")
        self.n_features = n_features
        self.n_semantic = n_semantic
        self.n_blocks = n_blocks
        if padding_std < 0:
            raise ValueError(f"padding_std must be >= 0, got {padding_std}.")
        self.padding_std = padding_std
        if n_features > n_semantic:
            self.n_dims = n_features
        else:
            self.n_dims = n_semantic + n_features
        self.n_noise = self.n_dims - n_semantic
        self.n_padding = self.n_dims - n_features
        generator = torch.Generator().manual_seed(seed)
        layers = []
        for _ in range(n_blocks):
            layers.append(_RandomPermutation(self.n_dims, generator=generator))
            layers.append(
                _AffineCoupling(
                    self.n_dims,
                    hidden_size=hidden_size,
                    clamp=clamp,
                    init_scale=init_scale,
                )
            )
        self.layers = nn.ModuleList(layers)

    def extra_repr(self) -> str:
        return (
            f"n_features={self.n_features}, n_semantic={self.n_semantic}, "
            f"n_dims={self.n_dims}, n_noise={self.n_noise}, "
            f"padding_std={self.padding_std}"
        )

    def _flow(self, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Run all layers on padded inputs; return the outputs and log-det."""
        log_det = h.new_zeros(h.shape[0])
        for layer in self.layers:
            h, layer_log_det = layer(h)
            log_det = log_det + layer_log_det
        return h, log_det

    def _flow_inverse(self, h: torch.Tensor) -> torch.Tensor:
        """Run all layers backwards; return padded inputs."""
        for layer in reversed(self.layers):
            h = layer.inverse(h)
        return h

    def forward(
        self, x: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Map features to their semantic and non-semantic factors.

        Parameters
        ----------
        x : torch.Tensor of shape (n_samples, n_features)
            Features.

        Returns
        -------
        c : torch.Tensor of shape (n_samples, n_semantic)
            Semantic factor.
        z : torch.Tensor of shape (n_samples, n_noise)
            Non-semantic factor.
        log_det : torch.Tensor of shape (n_samples,)
            ``log |det J|`` of the map from the padded input to ``[c ; z]``.
        """
        assert x.ndim == 2 and x.shape[1] == self.n_features, (
            f"expected shape (n_samples, {self.n_features}), got {tuple(x.shape)}"
        )
        if self.n_padding:
            x = torch.cat([x, self._padding(x)], dim=1)
        h, log_det = self._flow(x)
        return h[:, : self.n_semantic], h[:, self.n_semantic :], log_det

    def _padding(self, x: torch.Tensor) -> torch.Tensor:
        """Padding columns of a batch: noise in training, zeros in evaluation."""
        padding = x.new_zeros(x.shape[0], self.n_padding)
        if self.training and self.padding_std:
            padding.normal_(0.0, self.padding_std)
        return padding

    def inverse(self, c: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """Generate features from a semantic and a non-semantic factor.

        Parameters
        ----------
        c : torch.Tensor of shape (n_samples, n_semantic)
            Semantic factor, e.g. class semantics.
        z : torch.Tensor of shape (n_samples, n_noise)
            Non-semantic factor, e.g. draws from N(0, I).

        Returns
        -------
        x : torch.Tensor of shape (n_samples, n_features)
            Generated features; padding columns are dropped.
        """
        assert c.ndim == 2 and c.shape[1] == self.n_semantic, (
            f"expected c of shape (n_samples, {self.n_semantic}), got {tuple(c.shape)}"
        )
        assert z.ndim == 2 and z.shape == (c.shape[0], self.n_noise), (
            f"expected z of shape ({c.shape[0]}, {self.n_noise}), got {tuple(z.shape)}"
        )
        x = self._flow_inverse(torch.cat([c, z], dim=1))
        return x[:, : self.n_features]

    def sample(
        self, c: torch.Tensor, *, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """Generate one feature vector per row of ``c`` with ``z ~ N(0, I)``.

        Parameters
        ----------
        c : torch.Tensor of shape (n_samples, n_semantic)
            Semantic factor, e.g. class semantics repeated once per sample.
        generator : torch.Generator, default=None
            Source of the noise; must live on the device of ``c``. ``None``
            uses torch's global random generator.

        Returns
        -------
        x : torch.Tensor of shape (n_samples, n_features)
            Generated features.
        """
        z = torch.randn(
            c.shape[0],
            self.n_noise,
            generator=generator,
            dtype=c.dtype,
            device=c.device,
        )
        return self.inverse(c, z)

    def prototypes(self, c: torch.Tensor) -> torch.Tensor:
        """Map class semantics to their zero-noise prototypes ``inverse(c, 0)``.

        Parameters
        ----------
        c : torch.Tensor of shape (n_classes, n_semantic)
            Class semantics.

        Returns
        -------
        prototypes : torch.Tensor of shape (n_classes, n_features)
            One visual prototype per class.
        """
        return self.inverse(c, c.new_zeros(c.shape[0], self.n_noise))
