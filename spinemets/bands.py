"""The critical value of the equal-precision (Nair) simultaneous band, computed rather than simulated.

The equal-precision band for S(t) needs c such that, for a Brownian bridge W0 on [0, 1],

    P( sup over a_L <= x <= a_U of |W0(x)| / sqrt(x (1 - x)) <= c ) = 0.95.

Textbooks tabulate c (Klein and Moeschberger, Table C.5). A simulation on a grid underestimates it:
the largest value on a grid misses the peaks between grid points. The exact value is a
one-dimensional problem: with x = e^(2s) / (1 + e^(2s)), the process U(s) = W0(x) / sqrt(x (1 - x))
is a stationary Ornstein-Uhlenbeck process (mean 0, variance 1, correlation e^(-|s - s'|)), observed
over an interval of length T = (logit(a_U) - logit(a_L)) / 2. The probability that it stays inside
(-c, c) over that interval is

    P(c) = integral over (-c, c) of phi(u) v(u, T) du,

where v solves the backward equation dv/dT = v'' - u v' with v(u, 0) = 1 and v(+-c, T) = 0 (a path
that touches the boundary is lost). ``stay_probability`` solves it by Chebyshev collocation in u and
the matrix exponential in T; ``equal_precision_critical_value`` finds c with P(c) = 0.95 by
Brent's root finder. The test checks it against an independent finite-difference solution.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import linalg, optimize, stats

NODES = 48          # Chebyshev points on (-c, c); the probability changes by < 1e-9 beyond 40
DECIMALS = 3        # the precision at which the critical value leaves this module


def _chebyshev(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Chebyshev-Gauss-Lobatto points on [-1, 1] (descending) and the differentiation matrix."""
    x = np.cos(np.pi * np.arange(n + 1) / n)
    weights = np.ones(n + 1)
    weights[0] = weights[-1] = 2
    weights *= (-1) ** np.arange(n + 1)
    dx = x[:, None] - x[None, :] + np.eye(n + 1)
    d = np.outer(weights, 1 / weights) / dx
    d -= np.diag(d.sum(axis=1))
    return x, d


def _clenshaw_curtis(n: int) -> np.ndarray:
    """Clenshaw-Curtis quadrature weights on [-1, 1] at the Chebyshev-Gauss-Lobatto points."""
    theta = np.pi * np.arange(n + 1) / n
    w = np.zeros(n + 1)
    inner = np.arange(1, n)
    v = np.ones(n - 1)
    if n % 2 == 0:
        w[0] = w[n] = 1 / (n ** 2 - 1)
        for k in range(1, n // 2):
            v -= 2 * np.cos(2 * k * theta[inner]) / (4 * k ** 2 - 1)
        v -= np.cos(n * theta[inner]) / (n ** 2 - 1)
    else:
        w[0] = w[n] = 1 / n ** 2
        for k in range(1, (n - 1) // 2 + 1):
            v -= 2 * np.cos(2 * k * theta[inner]) / (4 * k ** 2 - 1)
    w[inner] = 2 * v / n
    return w


def stay_probability(c: float, length: float, nodes: int = NODES) -> float:
    """P(|U(s)| < c for all s in [0, length]) for the stationary Ornstein-Uhlenbeck process U."""
    x, d = _chebyshev(nodes)
    u = c * x
    d1 = d / c
    generator = d1 @ d1 - np.diag(u) @ d1
    inner = slice(1, nodes)                          # Dirichlet: v = 0 at u = +-c
    v = linalg.expm(length * generator[inner, inner]) @ np.ones(nodes - 1)
    weights = c * _clenshaw_curtis(nodes)[inner]
    return float(np.sum(weights * stats.norm.pdf(u[inner]) * v))


def interval_length(a_low: float, a_high: float) -> float:
    """T = (logit(a_high) - logit(a_low)) / 2, the span of [a_low, a_high] in Ornstein-Uhlenbeck time."""
    if not 0 < a_low <= a_high < 1:
        raise ValueError(f"need 0 < a_low <= a_high < 1, got a_low={a_low}, a_high={a_high}")
    return 0.5 * (np.log(a_high / (1 - a_high)) - np.log(a_low / (1 - a_low)))


@lru_cache(maxsize=64)
def equal_precision_critical_value(a_low: float, a_high: float, confidence: float = 0.95) -> float:
    """The equal-precision band's critical value for [a_low, a_high], to ``DECIMALS`` decimals."""
    length = interval_length(a_low, a_high)
    single = stats.norm.ppf(0.5 + confidence / 2)     # T = 0: one time point, the pointwise 1.96
    if length == 0:
        return round(float(single), DECIMALS)
    root = optimize.brentq(lambda c: stay_probability(c, length) - confidence, single, single + 4, xtol=1e-8)
    return round(float(root), DECIMALS)
