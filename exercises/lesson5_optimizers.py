"""Lesson 5 — gradient descent and the optimizers built on top of it.

Plain gradient descent takes the same-sized step along the gradient every
time. The optimizers used to train neural networks change that step: Momentum
keeps a running sum of past gradients so it can build up speed in a steady
direction; Adagrad and RMSprop divide each coordinate's step by the size of
its recent gradients; Adam combines both ideas. Here you write each one as a
small class whose ``step`` follows the update rule of PyTorch's
``torch.optim`` with its default settings, so your numbers can be compared
with PyTorch's.

Every optimizer works on float64 NumPy arrays: ``step(params, grads)`` gets
the current parameters and their gradient (same shape) and returns the new
parameters. Whatever the optimizer must remember between steps (its "state")
is kept on the instance and created on the first call to ``step``, when the
shape of the parameters is known.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp


def dloss_dtheta() -> sp.Expr:
    """Derivative of the loss (theta − 3)² with respect to theta.

    Use the symbol theta.

    Returns:
        A sympy expression (e.g. built from ``sp.Symbol("theta")``) or a string
        such as ``"theta/2"``. Any algebraically equal form is accepted.
    """
    raise NotImplementedError("dloss_dtheta is not implemented yet")


def gradient_descent(theta: float, lr: float, iterations: int) -> list[float]:
    """Minimise (theta − 3)² by plain gradient descent.

    Repeat ``iterations`` times:
      1. compute the gradient of the loss at the current theta (your answer
         to ``dloss_dtheta``);
      2. theta ← theta − lr·gradient.

    Returns:
        The list of theta values (Python floats) after each iteration, so
        ``iterations`` values; the last one is the final theta.
    """
    raise NotImplementedError("gradient_descent is not implemented yet")


class SGD:
    """Plain (stochastic) gradient descent: p ← p − lr·g. It keeps no state."""

    def __init__(self, lr: float) -> None:
        """Remember the learning rate ``lr``."""
        raise NotImplementedError("__init__ is not implemented yet")

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Return the new parameters p − lr·g (a new array)."""
        raise NotImplementedError("step is not implemented yet")


class Momentum:
    """Gradient descent with momentum (PyTorch's SGD with ``momentum``).

    State: a velocity buffer ``buf`` with the shape of the parameters.
      - first step:   buf = g                (a copy of the gradient)
      - later steps:  buf = momentum·buf + g
      - every step:   p ← p − lr·buf
    """

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        """Remember ``lr`` and ``momentum``; the buffer does not exist yet."""
        raise NotImplementedError("__init__ is not implemented yet")

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Update the buffer, then return p − lr·buf (a new array)."""
        raise NotImplementedError("step is not implemented yet")


class Adagrad:
    """Adagrad: each coordinate's step shrinks as its squared gradients add up.

    State: ``sum``, the running total of squared gradients, zeros at the start.
      - every step:  sum = sum + g²
                     p ← p − lr·g / (√sum + eps)
    (All operations are element-wise; eps is added AFTER the square root.)
    """

    def __init__(self, lr: float = 0.01, eps: float = 1e-10) -> None:
        """Remember ``lr`` and ``eps``; the sum of squares does not exist yet."""
        raise NotImplementedError("__init__ is not implemented yet")

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Add g² to the running sum, then return the scaled update (a new array)."""
        raise NotImplementedError("step is not implemented yet")


class RMSprop:
    """RMSprop: like Adagrad, but old squared gradients fade away.

    State: ``v``, a moving average of squared gradients, zeros at the start.
      - every step:  v = alpha·v + (1 − alpha)·g²
                     p ← p − lr·g / (√v + eps)
    (All operations are element-wise; eps is added AFTER the square root.)
    """

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8) -> None:
        """Remember ``lr``, ``alpha`` and ``eps``; v does not exist yet."""
        raise NotImplementedError("__init__ is not implemented yet")

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Update the moving average v, then return the scaled update (a new array)."""
        raise NotImplementedError("step is not implemented yet")


class Adam:
    """Adam: momentum on the gradient plus RMSprop-style scaling, bias-corrected.

    State: ``m`` and ``v`` (zeros at the start) and the step count ``t`` (0).
    With (beta1, beta2) = betas, every step:
        t = t + 1
        m = beta1·m + (1 − beta1)·g           (average of gradients)
        v = beta2·v + (1 − beta2)·g²          (average of squared gradients)
        m̂ = m / (1 − beta1ᵗ),  v̂ = v / (1 − beta2ᵗ)   (undo the pull towards 0)
        p ← p − lr·m̂ / (√v̂ + eps)
    (All operations are element-wise; eps is added AFTER the square root.)
    """

    def __init__(
        self, lr: float = 0.001, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
    ) -> None:
        """Remember ``lr``, ``betas`` and ``eps``; set t = 0; m, v do not exist yet."""
        raise NotImplementedError("__init__ is not implemented yet")

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Advance t, update m and v, then return the corrected update (a new array)."""
        raise NotImplementedError("step is not implemented yet")


Optimizer = SGD | Momentum | Adagrad | RMSprop | Adam


def minimize(
    optimizer: Optimizer,
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    steps: int,
) -> list[np.ndarray]:
    """Run an optimizer for a number of steps from the starting point x0.

    Start from x = a float64 copy of x0 (never change the caller's array).
    Repeat ``steps`` times: x = optimizer.step(x, grad_fn(x)), then record a
    copy of x.

    Returns:
        The list of ``steps`` parameter arrays, the one after each step.
    """
    raise NotImplementedError("minimize is not implemented yet")
