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
    # BEGIN SOLUTION
    theta = sp.Symbol("theta")
    return 2 * (theta - 3)
    # END SOLUTION


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
    # BEGIN SOLUTION
    theta = float(theta)
    thetas = []
    for _ in range(iterations):
        gradient = 2 * (theta - 3)
        theta -= lr * gradient
        thetas.append(theta)
    return thetas
    # END SOLUTION


class SGD:
    """Plain (stochastic) gradient descent: p ← p − lr·g. It keeps no state."""

    def __init__(self, lr: float) -> None:
        """Remember the learning rate ``lr``."""
        # BEGIN SOLUTION
        self.lr = lr
        # END SOLUTION

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Return the new parameters p − lr·g (a new array)."""
        # BEGIN SOLUTION
        return params - self.lr * grads
        # END SOLUTION


class Momentum:
    """Gradient descent with momentum (PyTorch's SGD with ``momentum``).

    State: a velocity buffer ``buf`` with the shape of the parameters.
      - first step:   buf = g                (a copy of the gradient)
      - later steps:  buf = momentum·buf + g
      - every step:   p ← p − lr·buf
    """

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        """Remember ``lr`` and ``momentum``; the buffer does not exist yet."""
        # BEGIN SOLUTION
        self.lr = lr
        self.momentum = momentum
        self.buf: np.ndarray | None = None
        # END SOLUTION

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Update the buffer, then return p − lr·buf (a new array)."""
        # BEGIN SOLUTION
        if self.buf is None:
            self.buf = np.array(grads, dtype=float)
        else:
            self.buf = self.momentum * self.buf + grads
        return params - self.lr * self.buf
        # END SOLUTION


class Adagrad:
    """Adagrad: each coordinate's step shrinks as its squared gradients add up.

    State: ``sum``, the running total of squared gradients, zeros at the start.
      - every step:  sum = sum + g²
                     p ← p − lr·g / (√sum + eps)
    (All operations are element-wise; eps is added AFTER the square root.)
    """

    def __init__(self, lr: float = 0.01, eps: float = 1e-10) -> None:
        """Remember ``lr`` and ``eps``; the sum of squares does not exist yet."""
        # BEGIN SOLUTION
        self.lr = lr
        self.eps = eps
        self.sum: np.ndarray | None = None
        # END SOLUTION

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Add g² to the running sum, then return the scaled update (a new array)."""
        # BEGIN SOLUTION
        if self.sum is None:
            self.sum = np.zeros_like(params, dtype=float)
        self.sum = self.sum + grads**2
        return params - self.lr * grads / (np.sqrt(self.sum) + self.eps)
        # END SOLUTION


class RMSprop:
    """RMSprop: like Adagrad, but old squared gradients fade away.

    State: ``v``, a moving average of squared gradients, zeros at the start.
      - every step:  v = alpha·v + (1 − alpha)·g²
                     p ← p − lr·g / (√v + eps)
    (All operations are element-wise; eps is added AFTER the square root.)
    """

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8) -> None:
        """Remember ``lr``, ``alpha`` and ``eps``; v does not exist yet."""
        # BEGIN SOLUTION
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.v: np.ndarray | None = None
        # END SOLUTION

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Update the moving average v, then return the scaled update (a new array)."""
        # BEGIN SOLUTION
        if self.v is None:
            self.v = np.zeros_like(params, dtype=float)
        self.v = self.alpha * self.v + (1 - self.alpha) * grads**2
        return params - self.lr * grads / (np.sqrt(self.v) + self.eps)
        # END SOLUTION


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
        # BEGIN SOLUTION
        self.lr = lr
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.t = 0
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None
        # END SOLUTION

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """Advance t, update m and v, then return the corrected update (a new array)."""
        # BEGIN SOLUTION
        if self.m is None:
            self.m = np.zeros_like(params, dtype=float)
            self.v = np.zeros_like(params, dtype=float)
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * grads
        self.v = self.beta2 * self.v + (1 - self.beta2) * grads**2
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = self.v / (1 - self.beta2**self.t)
        return params - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        # END SOLUTION


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
    # BEGIN SOLUTION
    x = np.array(x0, dtype=float)
    trajectory = []
    for _ in range(steps):
        x = optimizer.step(x, grad_fn(x))
        trajectory.append(x.copy())
    return trajectory
    # END SOLUTION
