"""Lesson 2: gradient descent on the mean squared error.

The line ŷ = w·x + b is fitted to all the samples at once: the loss is the mean
squared error L = mean((w·xᵢ + b − yᵢ)²), and each epoch moves both parameters
against its gradient, computed from the old values: w ← w − lr·∂L/∂w and
b ← b − lr·∂L/∂b.
"""

from __future__ import annotations

import numpy as np


def gradients(xs: list[float], ys: list[float], w: float, b: float) -> tuple[float, float]:
    """The gradient (∂L/∂w, ∂L/∂b) of the mean squared error over the samples, as a tuple of two floats.

    Formulas: ∂L/∂w = mean(2·xᵢ·(w·xᵢ + b − yᵢ)),  ∂L/∂b = mean(2·(w·xᵢ + b − yᵢ))
    """
    # BEGIN SOLUTION
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    error = w * x + b - y
    return float(np.mean(2 * x * error)), float(np.mean(2 * error))
    # END SOLUTION


def fit(xs: list[float], ys: list[float], w: float, b: float, lr: float, epochs: int) -> list[dict]:
    """Fit the line by full-batch gradient descent.

    For each epoch (0, 1, ..., epochs − 1):
      1. dw, db = gradients(xs, ys, w, b)     from the old w and b
      2. w = w − lr·dw and b = b − lr·db
      3. loss = mean((w·xᵢ + b − yᵢ)²)         with the new w and b
      4. append {"epoch": epoch, "w": w, "b": b, "loss": loss}
    Return the list of records: one per epoch.
    """
    # BEGIN SOLUTION
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    history = []
    for epoch in range(epochs):
        dw, db = gradients(xs, ys, w, b)
        w, b = w - lr * dw, b - lr * db
        history.append({"epoch": epoch, "w": w, "b": b, "loss": float(np.mean((w * x + b - y) ** 2))})
    return history
    # END SOLUTION
