"""Wrong versions of lesson 5's tasks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from solutions.lesson5_optimizers import Adagrad, Adam, Momentum, Optimizer, RMSprop, gradient_descent, minimize
from solutions.mistakes.tools import sharing_state


def gradient_descent_before_update(theta: float, lr: float, iterations: int) -> list[float]:
    """Records theta before each update, so the list starts with the starting theta."""
    return [float(theta), *gradient_descent(theta, lr, iterations)][:iterations]


def gradient_descent_with_start(theta: float, lr: float, iterations: int) -> list[float]:
    """Puts the starting theta in front of the thetas after each update (one value too many)."""
    return [float(theta), *gradient_descent(theta, lr, iterations)]


def minimize_before_update(optimizer: Optimizer, grad_fn: Callable[[np.ndarray], np.ndarray], x0: np.ndarray,
                           steps: int) -> list[np.ndarray]:
    """Records x before each step, so the list starts with x0."""
    return [np.array(x0, dtype=float), *minimize(optimizer, grad_fn, x0, steps)][:steps]


def minimize_with_start(optimizer: Optimizer, grad_fn: Callable[[np.ndarray], np.ndarray], x0: np.ndarray,
                        steps: int) -> list[np.ndarray]:
    """Puts x0 in front of the parameters after each step (one array too many)."""
    return [np.array(x0, dtype=float), *minimize(optimizer, grad_fn, x0, steps)]


class MomentumDampened(Momentum):
    """Averages instead of summing: buf = momentum·buf + (1 − momentum)·g, starting from buf = 0."""

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """The reference step on the dampened gradient (1 − momentum)·g."""
        return super().step(params, (1 - self.momentum) * grads)


class MomentumDampenedAfterFirst(Momentum):
    """Starts from buf = g, then averages: buf = momentum·buf + (1 − momentum)·g."""

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """The reference step on g first, on the dampened gradient (1 − momentum)·g later."""
        return super().step(params, grads if self.buf is None else (1 - self.momentum) * grads)


class AdamNoBiasCorrection(Adam):
    """Steps with m / (√v + eps): the bias correction of m and v is missing."""

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """The reference's update of t, m and v, then the uncorrected step."""
        super().step(params, grads)
        return params - self.lr * self.m / (np.sqrt(self.v) + self.eps)


class AdamStep(Adam):
    """The reference's update of t, m and v, then a step built from parts that its subclasses change."""

    ahead = 0  # how many steps ahead of t the bias correction counts

    def root(self, v_hat: np.ndarray) -> np.ndarray:
        """The divisor of the step: √v̂ + eps."""
        return np.sqrt(v_hat) + self.eps

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """The reference's update of t, m and v, then the step with this class's bias correction and root."""
        super().step(params, grads)
        t = self.t + self.ahead
        m_hat = self.m / (1 - self.beta1**t)
        v_hat = self.v / (1 - self.beta2**t)
        return params - self.lr * m_hat / self.root(v_hat)


class AdamEpsInsideSqrt(AdamStep):
    """Divides by √(v̂ + eps) instead of √v̂ + eps."""

    def root(self, v_hat: np.ndarray) -> np.ndarray:
        """eps under the root: √(v̂ + eps)."""
        return np.sqrt(v_hat + self.eps)


class AdamBiasOffByOne(AdamStep):
    """Corrects the bias with the next step's count: m / (1 − beta1ᵗ⁺¹) and v / (1 − beta2ᵗ⁺¹)."""

    ahead = 1


class AdamBiasOffByOneEpsInsideSqrt(AdamBiasOffByOne, AdamEpsInsideSqrt):
    """Both: the bias corrected one step ahead, and eps under the root."""


class RMSpropEpsInsideSqrt(RMSprop):
    """Divides by √(v + eps) instead of √v + eps."""

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """The reference's update of v, then the step with eps under the root."""
        super().step(params, grads)
        return params - self.lr * grads / np.sqrt(self.v + self.eps)


class AdagradEpsInsideSqrt(Adagrad):
    """Divides by √(sum + eps) instead of √sum + eps."""

    def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """The reference's update of the sum of squares, then the step with eps under the root."""
        super().step(params, grads)
        return params - self.lr * grads / np.sqrt(self.sum + self.eps)


MomentumSharedState = sharing_state(Momentum, "Keeps the buffer in one place for all instances.", "buf")
AdagradSharedState = sharing_state(Adagrad, "Keeps the sum of squares in one place for all instances.", "sum")
RMSpropSharedState = sharing_state(RMSprop, "Keeps v in one place for all instances.", "v")
AdamSharedState = sharing_state(Adam, "Keeps m, v and t in one place for all instances.", "m", "v", "t")
