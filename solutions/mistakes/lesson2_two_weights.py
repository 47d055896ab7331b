"""Wrong versions of lesson 2's tasks."""

from __future__ import annotations

from solutions.lesson2_two_weights import step, train
from solutions.mistakes.tools import rebind


def step_sequential(x: float, y: float, w1: float, w2: float, lr: float) -> tuple[float, float]:
    """Updates w1 first, then computes w2's derivative with the new w1."""
    w1 = step(x, y, w1, w2, lr)[0]
    return w1, step(x, y, w1, w2, lr)[1]


train_sequential = rebind(train, "Trains with step_sequential: w2's derivative uses the new w1.", step=step_sequential)


def train_loss_before_update(xs: list[float], ys: list[float], w1: float, w2: float, lr: float,
                             epochs: int) -> list[dict]:
    """Records each sample's loss measured before the update instead of after it."""
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            before = (w1 * x + w2 - y) ** 2
            w1, w2 = step(x, y, w1, w2, lr)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "loss": before})
    return history


train_sequential_loss_before_update = rebind(
    train_loss_before_update, "Both: step_sequential's update, and the loss recorded before it.", step=step_sequential)
