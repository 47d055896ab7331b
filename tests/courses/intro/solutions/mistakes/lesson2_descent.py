"""Known wrong versions of lesson 2's tasks, to name a student's mistake (never shipped to students)."""

from __future__ import annotations

import numpy as np

from solutions.lesson2_descent import gradients


def fit_loss_before_update(xs: list[float], ys: list[float], w: float, b: float, lr: float,
                           epochs: int) -> list[dict]:
    """Records the loss of the old w and b, measured before the step instead of after it."""
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    history = []
    for epoch in range(epochs):
        loss = float(np.mean((w * x + b - y) ** 2))
        dw, db = gradients(xs, ys, w, b)
        w, b = w - lr * dw, b - lr * db
        history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
    return history
