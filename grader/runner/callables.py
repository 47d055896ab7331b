"""Functions the grader hands to student code (for example a ``grad_fn`` for ``minimize``).

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


TABLE: dict[str, Callable[..., Callable[[np.ndarray], np.ndarray]]] = {
    "quadratic": quadratic,
    "square_distance": square_distance,
    "rosenbrock": rosenbrock,
}


def build(name: str, params: dict[str, Any]) -> Callable[[np.ndarray], np.ndarray]:
    """The function ``name`` of :data:`TABLE` with ``params``."""
    return TABLE[name](**params)
