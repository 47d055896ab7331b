"""Wrong versions of lesson 3's tasks."""

from __future__ import annotations

from solutions.lesson3_quadratic import forward, gradients, train
from solutions.mistakes.tools import rebind


def _weights_gradients(x: float, y: float, w1: float, w2: float, b: float) -> tuple[float, float, float]:
    g_w1, g_w2, _ = gradients(x, y, w1, w2, b)
    return g_w1, g_w2, 0.0


train_bias_not_updated = rebind(train, "Never updates the bias b.", gradients=_weights_gradients)


def _update(x: float, y: float, w1: float, w2: float, b: float, lr: float) -> tuple[float, float, float]:
    """One right update: all three derivatives from the old parameters."""
    g_w1, g_w2, g_b = gradients(x, y, w1, w2, b)
    return w1 - lr * g_w1, w2 - lr * g_w2, b - lr * g_b


def _sequential_update(x: float, y: float, w1: float, w2: float, b: float, lr: float) -> tuple[float, float, float]:
    """Updates w1, then w2, then b, each derivative computed with the parameters already updated."""
    w1 = w1 - lr * gradients(x, y, w1, w2, b)[0]
    w2 = w2 - lr * gradients(x, y, w1, w2, b)[1]
    return w1, w2, b - lr * gradients(x, y, w1, w2, b)[2]


def train_sequential(xs: list[float], ys: list[float], w1: float, w2: float, b: float, lr: float,
                     epochs: int) -> list[dict]:
    """Updates w1, then w2, then b, each derivative computed with the parameters already updated."""
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            w1, w2, b = _sequential_update(x, y, w1, w2, b, lr)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "b": b, "loss": (forward(x, w1, w2, b) - y) ** 2})
    return history


def train_loss_before_update(xs: list[float], ys: list[float], w1: float, w2: float, b: float, lr: float,
                             epochs: int) -> list[dict]:
    """Records each sample's loss measured before the update instead of after it."""
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            before = (forward(x, w1, w2, b) - y) ** 2
            w1, w2, b = _update(x, y, w1, w2, b, lr)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "b": b, "loss": before})
    return history


train_sequential_loss_before_update = rebind(
    train_loss_before_update, "Both: the sequential update, and the loss recorded before it.",
    _update=_sequential_update)
