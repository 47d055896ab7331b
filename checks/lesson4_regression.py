"""Lesson 4 checks: linear regression with NumPy, full-batch, per-sample and mini-batch GD.

Hidden cases (checks/hidden/lesson4_regression.py, which no release holds) run on
problems of their own, drawn from seeds that only that file holds.
"""

from __future__ import annotations

import numpy as np
import sympy

from grader.checks import Gradient, History, Task, Value, case, derivative, per_batch, per_epoch, per_sample
from grader.diagnosis import ascent, epochs_off, lr_scaled, shuffled_rows, twins, variant

x, y, w, b, lam = sympy.symbols("x y w b lam")
RECORD = ("epoch", "w", "b", "loss")
SUM = "your gradient is N times too large: L is a mean over the rows, so divide the sum by their number"
BATCH_SUM = ("your steps grow with the batch size: the gradient of a batch is the mean over its rows, "
             "not the sum")
BIAS = "b never changes: update the bias too, with its own gradient"
BEFORE = "the loss is recorded before the update: compute L on the whole data set after the step"
USES = ("mse_gradients", "mse")  # what each training loop calls: followed through when they are wrong
GRADIENT_CAUSES = ("a mean over the wrong count (N − 1, or a number other than the rows of X)",
                   "float32 instead of float64", "a formula rearranged in a way that loses precision")


def problem(seed: int, n_samples: int, n_features: int, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A seeded regression problem: X, y and a starting w."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    y_true = X @ rng.normal(size=n_features) + 0.5 + noise * rng.normal(size=n_samples)
    return X, y_true, rng.normal(scale=0.1, size=n_features)


X6, Y6, W6 = problem(1, 6, 2)
X5, Y5, W5 = problem(3, 5, 1)
X9, Y9, W9 = problem(4, 9, 4, noise=0.5)

TASKS = (
    Task("predict", 1, "predict(X, w, b) returns X·w + b, shape (N,)", Value(), (
        case(X6, W6, 0.5), case(X5, W5, -1.0),
    )),
    Task("mse", 1, "mse(X, y, w, b) returns the mean squared error L", Value(), (
        case(X6, Y6, W6, 0.5), case(X5, Y5, W5, -1.0),
    )),
    Task("mse_gradients", 2, "mse_gradients(X, y, w, b) returns (∂L/∂w, ∂L/∂b)",
         Gradient("mse", "w b"), (
        case(X6, Y6, W6, 0.5), case(X5, Y5, W5, -1.0),
    ), mistakes=(
        variant("sum_instead_of_mean", "mse_gradients_sum", SUM),
        *twins((x * w + b - y) ** 2, (w, b), "x y w b", args=("x", "y", "w", "b"), rows=("x", "y"),
               dot=("x", "w")),
    ), near_misses=GRADIENT_CAUSES),
    Task("ridge_gradients", 2, "ridge_gradients(X, y, w, b, lam) adds lam·‖w‖² to L (b not penalised)", Value(), (
        case(X6, Y6, W6, 0.5, 0.1), case(X5, Y5, W5, -1.0, 1.0),
    ), near_misses=GRADIENT_CAUSES),
    Task("dridge_dw", 2, "dridge_dw() is ∂/∂w of (x·w + b − y)² + lam·w² in x, y, w, b, lam",
         derivative((x * w + b - y) ** 2 + lam * w ** 2, w, "x y w b lam")),
    Task("batch_gd", 3, "batch_gd(X, y, w, b, lr, epochs): one full-batch update per epoch",
         History(RECORD, per_epoch(epochs="epochs")), (
        case(X6, Y6, W6, 0.0, 0.1, 8), case(X5, Y5, W5, 1.0, 0.05, 5),
    ), mistakes=(
        ascent(lr=4), variant("sum_instead_of_mean", "batch_gd_sum", SUM),
        variant("bias_not_updated", "batch_gd_bias_not_updated", BIAS),
        variant("loss_before_update", "batch_gd_loss_before_update", BEFORE),
        *epochs_off(epochs=5), *lr_scaled(lr=4),
    ), uses=USES),
    Task("sgd", 3, "sgd(X, y, w, b, lr, epochs): one update per sample, rows in order",
         History(RECORD, per_sample(data="X", targets="y", epochs="epochs")), (
        case(X6, Y6, W6, 0.0, 0.05, 3), case(X5, Y5, W5, 1.0, 0.1, 2),
    ), mistakes=(
        ascent(lr=4), shuffled_rows(("w", "b"), start=(2, 3)),
        variant("bias_not_updated", "sgd_bias_not_updated", BIAS),
        variant("loss_before_update", "sgd_loss_before_update", BEFORE),
        *epochs_off(epochs=5), *lr_scaled(lr=4),
    ), uses=USES),
    Task("minibatch_gd", 3, "minibatch_gd(X, y, w, b, lr, epochs, batch_size): batches in order, mean gradient",
         History(RECORD, per_batch(data="X", epochs="epochs", batch_size="batch_size")), (
        case(X6, Y6, W6, 0.0, 0.1, 3, 4, label="6 samples, batches of 4"),
        case(X9, Y9, W9, 0.0, 0.05, 2, 3),
    ), mistakes=(
        ascent(lr=4), variant("sum_instead_of_mean", "minibatch_gd_sum", BATCH_SUM),
        variant("last_batch_dropped", "minibatch_gd_last_batch_dropped",
                "the last, smaller batch of each epoch is skipped: when N is not a multiple of batch_size, "
                "the rows left over still make one more batch"),
        variant("bias_not_updated", "minibatch_gd_bias_not_updated", BIAS),
        variant("loss_before_update", "minibatch_gd_loss_before_update", BEFORE),
        *epochs_off(epochs=5), *lr_scaled(lr=4),
    ), uses=USES),
    Task("max_stable_lr", 2, "max_stable_lr(X) returns 2 / λmax(H) for full-batch GD on L", Value(), (
        case(X6), case(X5),
    )),
)
