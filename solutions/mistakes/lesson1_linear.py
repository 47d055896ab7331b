"""Wrong versions of lesson 1's tasks."""

from __future__ import annotations

from solutions.lesson1_linear import gradient, loss


def train_loss_before_update(xs: list[float], ys: list[float], w: float, lr: float, epochs: int) -> list[dict]:
    """Records the loss measured before the step instead of after it."""
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            before = loss(x, y, w)
            grad = gradient(x, y, w)
            w = w - lr * grad
            history.append({"epoch": epoch, "x": x, "y": y, "grad": grad, "w": w, "loss": before})
    return history


def train_gradient_sign_flipped(xs: list[float], ys: list[float], w: float, lr: float, epochs: int) -> list[dict]:
    """Uses a gradient with the wrong sign (2·x·(y − x·w)), so every step goes uphill."""
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            grad = -gradient(x, y, w)
            w = w - lr * grad
            history.append({"epoch": epoch, "x": x, "y": y, "grad": grad, "w": w, "loss": loss(x, y, w)})
    return history
