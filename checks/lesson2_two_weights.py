"""Lesson 2 checks: f = w1·x + w2, C = (f − y)², both weights updated from the old ones."""

from __future__ import annotations

import sympy

from grader.checks import History, Task, Value, case, derivative, per_sample
from grader.diagnosis import ascent, both, epochs_off, lr_scaled, shuffled_rows, twins, variant

x, y, w1, w2 = sympy.symbols("x y w1 w2")
C = (w1 * x + w2 - y) ** 2
NAMES = "x y w1 w2"
SEQUENTIAL = ("w2 is updated with a derivative computed from the new w1: compute both derivatives from the old "
              "weights first, then change both")


TASKS = (
    Task("dC_dw1", 2, "dC_dw1() is ∂C/∂w1 in x, y, w1, w2", derivative(C, w1, NAMES)),
    Task("dC_dw2", 2, "dC_dw2() is ∂C/∂w2 in x, y, w1, w2", derivative(C, w2, NAMES)),
    Task("step", 2, "step(x, y, w1, w2, lr) updates both weights from the old ones", Value(), (
        # x = −1.5 first: x = 1 and x = 2 make some of the usual mistakes give the same weights
        case(-1.5, 2.0, -0.3, 0.7, 0.2), case(1.0, 3.0, 0.5, 0.0, 0.1), case(2.0, -1.0, 1.0, 1.0, 0.05),
    ), mistakes=(
        ascent(lr=4), variant("sequential_update", "step_sequential", SEQUENTIAL), *lr_scaled(lr=4),
        *twins(C, (w1, w2), NAMES, args=(*NAMES.split(), "lr"), step="lr"),
    )),
    Task("train", 4, "train(xs, ys, w1, w2, lr, epochs) follows per-sample updates step by step",
         History(("epoch", "w1", "w2", "loss"), per_sample(data="xs", targets="ys", epochs="epochs")), (
        case([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.0], 0.0, 0.0, 0.01, 5, label="y = 2x + 1"),
        case([0.5, -1.0, 1.5], [1.0, -2.0, 2.5], 1.0, -1.0, 0.1, 4),
    ), mistakes=(
        ascent(lr=4), shuffled_rows(("w1", "w2"), start=(2, 3)),
        sequential := variant("sequential_update", "train_sequential", SEQUENTIAL),
        loss_before := variant("loss_before_update", "train_loss_before_update",
                               "the loss is recorded before the update: compute it with the new weights, after the "
                               "step"),
        *epochs_off(epochs=5), *lr_scaled(lr=4),
        both(sequential, loss_before, "train_sequential_loss_before_update"),
    ), uses=("step",)),
)
