"""Functions and objects the grader hands to student code (``grad_fn`` and ``optimizer`` for ``minimize``).

A check cannot send a Python function across the process boundary, so it names
one of these with its parameters (``{"$fn": "quadratic", "params": {...}}``) and
the child builds it.  Each is plain NumPy and trusted.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


def quadratic(A: Any, b: Any) -> Callable[[np.ndarray], np.ndarray]:
    """Gradient of ½·xᵀAx − bᵀx, that is A·x − b."""
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    return lambda x: A @ np.asarray(x, dtype=float) - b


def square_distance(target: Any) -> Callable[[np.ndarray], np.ndarray]:
    """Gradient of ‖x − target‖², that is 2·(x − target)."""
    t = np.asarray(target, dtype=float)
    return lambda x: 2.0 * (np.asarray(x, dtype=float) - t)


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Callable[[np.ndarray], np.ndarray]:
    """Gradient of the Rosenbrock function (a − x)² + b·(y − x²)² in two dimensions."""
    def grad(p: np.ndarray) -> np.ndarray:
        x, y = float(p[0]), float(p[1])
        return np.array([-2.0 * (a - x) - 4.0 * b * x * (y - x * x), 2.0 * b * (y - x * x)])
    return grad


class HeavyBall:
    """A trusted optimizer for checking ``minimize``: momentum SGD, so a lost state shows."""

    def __init__(self, lr: float, momentum: float = 0.0) -> None:
        self.lr, self.momentum = lr, momentum
        self.velocity: np.ndarray | None = None

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """p ← p − lr·v with v ← momentum·v + g."""
        g = np.asarray(grads, dtype=float)
        self.velocity = g.copy() if self.velocity is None else self.momentum * self.velocity + g
        return np.asarray(params, dtype=float) - self.lr * self.velocity


TABLE: dict[str, Callable[..., Any]] = {
    "quadratic": quadratic,
    "square_distance": square_distance,
    "rosenbrock": rosenbrock,
    "heavy_ball": HeavyBall,
}


def build(name: str, params: dict[str, Any]) -> Any:
    """The function or object ``name`` of :data:`TABLE` with ``params``."""
    return TABLE[name](**params)
