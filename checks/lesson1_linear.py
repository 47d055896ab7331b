"""Lesson 1 checks: one weight, ŷ = x·w, loss (ŷ − y)², per-sample SGD."""

from __future__ import annotations

import sympy

from grader.checks import Gradient, History, Task, Value, case, derivative, per_sample
from grader.diagnosis import SHUFFLED, ascent, epochs_off, lr_scaled, twin, variant

x, y, w = sympy.symbols("x y w")
LOSS = (x * w - y) ** 2
RECORD = ("epoch", "x", "y", "grad", "w", "loss")

TASKS = (
    Task("forward", 1, "forward(x, w) returns the prediction x·w", Value(), (
        case(2.0, 3.0), case(-1.5, 4.0), case(0.0, 7.0),
    )),
    Task("loss", 1, "loss(x, y, w) returns the squared error (x·w − y)²", Value(), (
        case(1.0, 2.0, 1.0), case(3.0, 6.0, 1.26), case(-2.0, 1.0, 0.5),
    )),
    Task("gradient", 2, "gradient(x, y, w) returns ∂loss/∂w at that point", Gradient("loss", "w"), (
        # the seed's third step first: with x, y and w distinct and not 1, it tells the usual mistakes apart
        case(3.0, 6.0, 1.0984), case(1.0, 2.0, 1.0), case(2.0, 4.0, 1.02),
    ), mistakes=twin(LOSS, w, "x y w", args=("x", "y", "w"))),
    Task("dloss_dw", 2, "dloss_dw() is the derivative ∂loss/∂w in x, y, w", derivative(LOSS, w, "x y w")),
    Task("train", 4, "train(xs, ys, w, lr, epochs) follows per-sample SGD step by step",
         History(RECORD, per_sample(data="xs", targets="ys", epochs="epochs")), (
        case([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], 1.0, 0.01, 5, label="seed data"),
        case([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], 1.0, 0.01, 50, label="seed data, 50 epochs"),
    ), mistakes=(
        ascent(lr=3), SHUFFLED,
        variant("gradient_sign_flipped", "train_gradient_sign_flipped",
                "your gradient has the wrong sign, so every update moves uphill: check the order in (x·w − y)"),
        variant("loss_before_update", "train_loss_before_update",
                "the loss is recorded before the update: compute it with the new w, after the step"),
        *epochs_off(epochs=4), *lr_scaled(lr=3),
    ), uses=("gradient", "loss")),
)
