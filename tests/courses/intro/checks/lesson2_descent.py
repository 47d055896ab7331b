"""Lesson 2 checks: the gradient of the mean squared error, and full-batch gradient descent epoch by epoch."""

from __future__ import annotations

from grader.checks import History, Task, Value, case, per_epoch
from grader.diagnosis import ascent, epochs_off, variant

XS, YS = [0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0]  # y = 2x + 1

TASKS = (
    Task("gradients", 2, "gradients(xs, ys, w, b) returns (∂L/∂w, ∂L/∂b) of the mean squared error", Value(), (
        case(XS, YS, 0.0, 0.0), case(XS, YS, 2.0, 1.0), case([1.0, -2.0], [0.5, 0.25], 0.3, -0.7),
    )),
    Task("fit", 4, "fit(xs, ys, w, b, lr, epochs) follows gradient descent epoch by epoch",
         History(("epoch", "w", "b", "loss"), per_epoch(epochs="epochs")), (
        case(XS, YS, 0.0, 0.0, 0.05, 10, label="y = 2x + 1"),
        case([1.0, 2.0], [1.0, 0.0], 0.5, 0.5, 0.1, 3),
    ), mistakes=(
        ascent(lr=4),
        variant("loss_before_update", "fit_loss_before_update",
                "the loss is recorded before the update: compute it with the new w and b, after the step"),
        *epochs_off(epochs=5),
    )),
)
