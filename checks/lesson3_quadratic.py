"""Lesson 3 checks: ŷ = x²·w2 + x·w1 + b, per-sample SGD on three parameters."""

from __future__ import annotations

import sympy

from grader.checks import History, Task, Value, case, derivative, per_sample
from grader.diagnosis import ascent, both, epochs_off, lr_scaled, shuffled_rows, twins, variant

x, y, w1, w2, b = sympy.symbols("x y w1 w2 b")
LOSS = (x ** 2 * w2 + x * w1 + b - y) ** 2
NAMES = "x y w1 w2 b"

TASKS = (
    Task("dloss_dw1", 2, "dloss_dw1() is ∂loss/∂w1 in x, y, w1, w2, b", derivative(LOSS, w1, NAMES)),
    Task("dloss_dw2", 2, "dloss_dw2() is ∂loss/∂w2 in x, y, w1, w2, b", derivative(LOSS, w2, NAMES)),
    Task("dloss_db", 2, "dloss_db() is ∂loss/∂b in x, y, w1, w2, b", derivative(LOSS, b, NAMES)),
    Task("forward", 1, "forward(x, w1, w2, b) returns x²·w2 + x·w1 + b", Value(), (
        case(2.0, 1.0, 0.5, -1.0), case(-1.0, 3.0, 2.0, 0.5), case(0.0, 1.0, 1.0, 4.0),
    )),
    Task("gradients", 2, "gradients(x, y, w1, w2, b) returns (g_w1, g_w2, g_b) at that point", Value(), (
        # x = −1.5 first: x = 1 and x = 2 make some of the usual mistakes give the same values
        case(-1.5, 0.5, 0.0, 1.0, -1.0), case(1.0, 2.0, 0.5, 0.5, 0.0), case(2.0, -1.0, 1.0, -0.5, 0.25),
    ), mistakes=twins(LOSS, (w1, w2, b), NAMES, args=tuple(NAMES.split())), uses=("forward",)),
    Task("train", 4, "train(xs, ys, w1, w2, b, lr, epochs) follows per-sample SGD step by step",
         History(("epoch", "w1", "w2", "b", "loss"), per_sample(data="xs", targets="ys", epochs="epochs")), (
        case([-1.0, 0.0, 1.0, 2.0], [2.0, 1.0, 2.0, 5.0], 0.0, 0.0, 0.0, 0.02, 5, label="y = x² + 1"),
        case([0.5, 1.5, -0.5], [0.2, 1.9, 0.4], 1.0, -1.0, 0.5, 0.05, 3),
    ), mistakes=(
        ascent(lr=5), shuffled_rows(("w1", "w2", "b"), start=(2, 3, 4), powers=(1, 2)),
        sequential := variant("sequential_update", "train_sequential",
                              "each parameter is updated with derivatives computed from the ones already updated: "
                              "compute all three derivatives first, then change all three"),
        variant("bias_not_updated", "train_bias_not_updated",
                "b never changes: update the bias too, with its own derivative"),
        loss_before := variant("loss_before_update", "train_loss_before_update",
                               "the loss is recorded before the update: compute it with the new parameters, after "
                               "the step"),
        *epochs_off(epochs=6), *lr_scaled(lr=5),
        both(sequential, loss_before, "train_sequential_loss_before_update"),
    ), uses=("gradients", "forward")),
)
