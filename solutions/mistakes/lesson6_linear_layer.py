"""Wrong versions of lesson 6's tasks."""

from __future__ import annotations

import numpy as np

from solutions.lesson6_linear_layer import linear_backward, linear_forward, mse_loss, train_linear
from solutions.mistakes.tools import rebind


def linear_backward_sum(x: np.ndarray, pred: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Differentiates the sum of squared errors: the gradient is not divided by the number of outputs."""
    dW, db = linear_backward(x, pred, target)
    return dW * pred.size, db * pred.size


train_linear_sum = rebind(train_linear, "Trains with linear_backward_sum (not divided by the number of outputs).",
                          linear_backward=linear_backward_sum)


def train_linear_loss_after_update(x: np.ndarray, target: np.ndarray, W: np.ndarray, b: np.ndarray, lr: float,
                                   epochs: int) -> list[dict]:
    """Records the loss of the updated layer instead of the loss before the update."""
    history = train_linear(x, target, W, b, lr, epochs)
    return [dict(r, loss=mse_loss(linear_forward(x, r["W"], r["b"]), target)) for r in history]
