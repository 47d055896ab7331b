"""Lesson 6 checks: a NumPy nn.Linear trained with MSELoss and plain SGD.

Hidden cases draw their data from a generator of their own, whose seed only the
lines ``grade release`` strips hold: nothing a release ships derives them.
"""

from __future__ import annotations

import numpy as np

from grader.checks import History, Task, Value, case, per_epoch
from grader.diagnosis import ascent, epochs_off, lr_scaled, variant

rng = np.random.default_rng(6)
SEED_X, SEED_T = np.array([0.8, 0.4, 0.4, 0.2]), np.array([1.0, 0.0])
W24, B2 = rng.uniform(-0.5, 0.5, size=(2, 4)), rng.uniform(-0.5, 0.5, size=2)
W35, B3 = rng.normal(size=(3, 5)), rng.normal(size=3)
X5, T3 = rng.normal(size=5), rng.normal(size=3)
HIDDEN = np.random.default_rng(0xC432B0A8EE3AB2E1)
HW13, HB1 = HIDDEN.normal(size=(1, 3)), HIDDEN.normal(size=1)
HX3, HT1 = HIDDEN.normal(size=3), HIDDEN.normal(size=1)
HW24, HB2 = HIDDEN.uniform(-0.5, 0.5, size=(2, 4)), HIDDEN.uniform(0.5, 1.5, size=2)
HX4 = np.sqrt(HIDDEN.dirichlet(np.ones(4)))  # ‖x‖ = 1, as in the seed data: with lr 0.5 one step hits the target
HT2 = HIDDEN.uniform(-1.0, 1.0, size=2)
SUM = ("your gradient is out times too large (out = the number of outputs): mse_loss is a mean over the outputs, "
       "so its gradient is divided by their number")

TASKS = (
    Task("linear_forward", 1, "linear_forward(x, W, b) returns W·x + b", Value(), (
        case(SEED_X, W24, B2), case(X5, W35, B3), case(HX3, HW13, HB1, hidden=True),
    )),
    Task("mse_loss", 1, "mse_loss(pred, target) returns the mean of (pred − target)²", Value(), (
        case(np.array([0.5, -0.2]), SEED_T), case(T3 + 0.3, T3 * 2), case(np.array([2.0]), HT1, hidden=True),
    )),
    Task("linear_backward", 3, "linear_backward(x, pred, target) returns (dW, db) of mse_loss", Value(), (
        case(SEED_X, W24 @ SEED_X + B2, SEED_T), case(X5, W35 @ X5 + B3, T3),
        case(HX3, HW13 @ HX3 + HB1, HT1, hidden=True),
    ), mistakes=(variant("sum_instead_of_mean", "linear_backward_sum", SUM),)),
    Task("train_linear", 4, "train_linear(x, target, W, b, lr, epochs) matches nn.Linear + MSELoss + SGD",
         History(("epoch", "loss", "W", "b"), per_epoch(epochs=5)), (
        case(SEED_X, SEED_T, W24, B2, 0.1, 10, label="seed data"),
        case(X5, T3, W35, B3, 0.05, 6),
        case(HX3, HT1, HW13, HB1, 0.3, 8, hidden=True),
        case(HX4, HT2, HW24, HB2, 0.5, 5, hidden=True),
    ), mistakes=(
        ascent(lr=4), variant("sum_instead_of_mean", "train_linear_sum", SUM),
        variant("loss_after_update", "train_linear_loss_after_update",
                "the loss is recorded after the update: record the loss of the prediction made before the step, "
                "as PyTorch's training loop prints it"),
        *epochs_off(epochs=5), *lr_scaled(lr=4),
    )),
)
