"""Lesson 6 checks: a NumPy nn.Linear trained with MSELoss and plain SGD.

Hidden cases (checks/hidden/lesson6_linear_layer.py, which no release holds) draw
their data from a generator of their own, whose seed only that file holds.
"""

from __future__ import annotations

import numpy as np
import sympy

from grader.checks import History, Task, Value, case, per_epoch
from grader.diagnosis import ascent, epochs_off, lr_scaled, twins, variant

x, W, b, target = sympy.symbols("x W b target")
LOSS = (W * x + b - target) ** 2  # one output's squared error: mse_loss is their mean

rng = np.random.default_rng(6)
SEED_X, SEED_T = np.array([0.8, 0.4, 0.4, 0.2]), np.array([1.0, 0.0])
W24, B2 = rng.uniform(-0.5, 0.5, size=(2, 4)), rng.uniform(-0.5, 0.5, size=2)
W35, B3 = rng.normal(size=(3, 5)), rng.normal(size=3)
X5, T3 = rng.normal(size=5), rng.normal(size=3)
SUM = ("your gradient is out times too large (out = the number of outputs): mse_loss is a mean over the outputs, "
       "so its gradient is divided by their number")
GRADIENT_CAUSES = ("a mean over the wrong count (the inputs, or out − 1, in place of the out outputs)",
                   "float32 instead of float64", "a formula rearranged in a way that loses precision")

TASKS = (
    Task("linear_forward", 1, "linear_forward(x, W, b) returns W·x + b", Value(), (
        case(SEED_X, W24, B2), case(X5, W35, B3),
    )),
    Task("mse_loss", 1, "mse_loss(pred, target) returns the mean of (pred − target)²", Value(), (
        case(np.array([0.5, -0.2]), SEED_T), case(T3 + 0.3, T3 * 2),
    )),
    Task("linear_backward", 3, "linear_backward(x, pred, target) returns (dW, db) of mse_loss", Value(), (
        case(SEED_X, W24 @ SEED_X + B2, SEED_T), case(X5, W35 @ X5 + B3, T3),
    ), mistakes=(
        variant("sum_instead_of_mean", "linear_backward_sum", SUM),
        *twins(LOSS, (W, b), "x W b target", args=("x", "pred", "target"), rows=("pred", "target"),
               shared=False, prediction=("pred", W * x + b)),
    ), near_misses=GRADIENT_CAUSES),
    Task("train_linear", 4, "train_linear(x, target, W, b, lr, epochs) matches nn.Linear + MSELoss + SGD",
         History(("epoch", "loss", "W", "b"), per_epoch(epochs="epochs")), (
        case(SEED_X, SEED_T, W24, B2, 0.1, 10, label="seed data"),
        case(X5, T3, W35, B3, 0.05, 6),
    ), mistakes=(
        ascent(lr=4), variant("sum_instead_of_mean", "train_linear_sum", SUM),
        variant("loss_after_update", "train_linear_loss_after_update",
                "the loss is recorded after the update: record the loss of the prediction made before the step, "
                "as PyTorch's training loop prints it"),
        *epochs_off(epochs=5), *lr_scaled(lr=4),
    ), uses=("linear_forward", "mse_loss", "linear_backward")),
)
