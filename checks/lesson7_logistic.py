"""Lesson 7 checks: logistic regression, the cross-entropy computed stably, training until it stops improving.

Numerics are checked where the textbook formulas break: z = ±1000 (e^z overflows above z ≈ 709, and
σ(z) rounds to 1.0 from z ≈ 37 on, so log(1 − σ(z)) is log(0)), and σ at z = −712, where 1/(1 + e^(−z))
gives 0.0 instead of e^(−712) (PyTorch's float64 sigmoid too), so that log σ(z) is −inf instead of −712.  The stopping rule of train is checked on a run that stops early, one that reaches max_epochs
and one whose loss goes up.  Hidden cases (checks/hidden/lesson7_logistic.py, which no release holds)
run on problems of their own, drawn from seeds that only that file holds.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy

from grader.checks import Gradient, History, Labels, Layout, Task, Value, case, derivative
from grader.diagnosis import ascent, epochs_off, lr_scaled, twins, variant
from grader.model import Case, Mistake

x, y, w, b = sympy.symbols("x y w b")
z = x * w + b
p = 1 / (1 + sympy.exp(-z))
LOSS = -(y * sympy.log(p) + (1 - y) * sympy.log(1 - p))  # one example's cross-entropy
RECORD = ("epoch", "w", "b", "loss")

OVERFLOW = ("1/(1 + exp(−z)) overflows: exp(−z) is inf for z below −709, so σ comes out 0.0 instead of a tiny "
            "number. Use each form where it is safe: with e = exp(−|z|), σ = 1/(1 + e) for z ≥ 0 and e/(1 + e) for "
            "z < 0 (np.where picks one per element)")
RATIO = ("exp(z)/(1 + exp(z)) overflows: exp(z) is inf for z above 709, and inf/inf is nan. Use each form where "
         "it is safe: with e = exp(−|z|), σ = 1/(1 + e) for z ≥ 0 and e/(1 + e) for z < 0 (np.where picks one per "
         "element)")
SUM = "your gradient is N times too large: L is the mean over the examples, so divide the sum by their number"


def problem(seed: int, n_samples: int, n_features: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A seeded classification problem: X, noisy 0/1 labels y (not separable), and a small starting w."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = (X @ rng.normal(size=n_features) + 0.3 + rng.normal(size=n_samples) > 0).astype(float)
    return X, y, rng.normal(scale=0.1, size=n_features)


def _until_stopped(max_epochs: int) -> Callable[[Case], Labels]:
    def layout(c: Case) -> Labels:
        return (lambda k: f"epoch {k}"), ("one per epoch, up to and including the first epoch whose loss is less "
                                          f"than tol below the previous loss, at most max_epochs = {c.args[max_epochs]}")
    return layout


def until_stopped(max_epochs: int | str = -2) -> Layout:
    """One record per epoch, up to the epoch that stops training, from the most epochs allowed."""
    return Layout(_until_stopped, {"max_epochs": max_epochs})


def _booleans(values: list[Any], c: Case) -> bool:
    """Whether predict returned an array of True/False (what a comparison such as z >= 0 gives)."""
    return bool(values) and isinstance(values[0], np.ndarray) and values[0].dtype == np.bool_


BOOLEAN_LABELS = Mistake("boolean_labels", "your labels are True/False: predict returns the integers 0 and 1; "
                                           "convert the comparison with .astype(int)", seen=_booleans)

X8, Y8, W8 = problem(1, 8, 2)
X10, Y10, W10 = problem(4, 10, 3)
# Far from the decision boundary: with w = [2], z = [1000, −1000, 712, −712, 40, −0.5, 3].
XF = np.array([[500.0], [-500.0], [356.0], [-356.0], [20.0], [-0.25], [1.5]])
YF = np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0])
WF = np.array([2.0])
Z = np.array([-3.0, -0.5, 0.0, 0.25, 2.0])
ZF = np.array([-1000.0, -745.5, -40.0, 0.0, 37.5, 709.9, 1000.0])
# z = X·w + b is exactly 0 on the second row: p = 0.5 there, labelled 1.
XP = np.array([[1.0, 3.0], [2.0, 1.0], [-1.0, 0.5], [0.5, -2.0]])
WP = np.array([0.5, -1.0])

TASKS = (
    Task("sigmoid", 2, "sigmoid(z) returns σ(z) for a float or an array, accurately for every finite z", Value(), (
        case(1.5), case(Z), case(-1000.0), case(1000.0), case(ZF, label="|z| up to 1000"),
        case(-712.0, label="exp(−z) overflows"),
    ), mistakes=(
        variant("sigmoid_overflow", "sigmoid_textbook", OVERFLOW),
        variant("sigmoid_overflow", "sigmoid_ratio", RATIO),
    )),
    Task("cross_entropy", 2, "cross_entropy(X, y, w, b) returns the mean cross-entropy L, finite for every z",
         Value(), (
        case(X8, Y8, W8, 0.0), case(X10, Y10, W10, 0.5), case(XF, YF, WF, 0.0, label="|z| up to 1000"),
    ), mistakes=(
        variant("log1p_exp_overflow", "cross_entropy_overflow",
                "log(1 + exp(z)) computed as written overflows: exp(z) is inf for z above 709, so the loss is inf. "
                "Use np.logaddexp(0, z), which is log(1 + e^z) computed safely, or max(z, 0) + "
                "np.log1p(np.exp(−|z|))"),
        variant("log_of_zero", "cross_entropy_log_zero",
                "p = σ(z) rounds to exactly 1.0 once z passes about 37 (and to 0.0 below about −745), so log(1 − p) "
                "(or log p) is log(0) = −inf, and 0·log(0) is nan. Compute the loss from z, not from p: "
                "ℓ = log(1 + e^z) − y·z, with np.logaddexp(0, z) for log(1 + e^z)"),
        variant("sum_instead_of_mean", "cross_entropy_sum",
                "your loss is N times too large: L is the mean over the examples, not their sum"),
    )),
    Task("dloss_dw", 2, "dloss_dw() is ∂ℓ/∂w of one example's cross-entropy, in x, y, w, b",
         derivative(LOSS, w, "x y w b")),
    Task("dloss_db", 2, "dloss_db() is ∂ℓ/∂b of one example's cross-entropy, in x, y, w, b",
         derivative(LOSS, b, "x y w b")),
    Task("gradients", 2, "gradients(X, y, w, b) returns (∂L/∂w, ∂L/∂b)",
         Gradient("cross_entropy", "w b"), (
        case(X8, Y8, W8, 0.0), case(X10, Y10, W10, 0.5), case(XF, YF, WF, 0.0, label="|z| up to 1000"),
    ), mistakes=(
        variant("sum_instead_of_mean", "gradients_sum", SUM),
        variant("sign_flipped", "gradients_sign_flipped",
                "your gradient has the wrong sign: ∂ℓ/∂z is σ(z) − y, not y − σ(z)"),
        variant("sigmoid_slope_kept", "gradients_sigmoid_slope_kept",
                "the factor σ(z)(1 − σ(z)) should not be there: the derivative of the logs cancels it, leaving "
                "∂ℓ/∂z = σ(z) − y (it stays in the squared error's gradient, not in the cross-entropy's)"),
        variant("sigmoid_overflow", "gradients_overflow", "nan: your sigmoid overflows. " + RATIO),
        *twins(LOSS, (w, b), "x y w b", args=("x", "y", "w", "b"), rows=("x", "y"), dot=("x", "w")),
    )),
    Task("train", 4, "train(X, y, w, b, lr, max_epochs, tol) runs gradient descent until the loss stops decreasing",
         History(RECORD, until_stopped(max_epochs="max_epochs")), (
        case(X8, Y8, W8, 0.0, 0.5, 200, 1e-3, label="stops early"),
        case(X10, Y10, W10, 0.0, 0.5, 8, 1e-6, label="runs to max_epochs"),
        case(X10, Y10, W10, 0.0, 10.0, 20, 1e-2, label="the loss goes up"),
    ), mistakes=(
        ascent(lr=4),
        variant("stops_one_epoch_late", "train_one_epoch_past_stop",
                "one epoch too many at the stop: training must end with the first epoch whose loss is less than "
                "tol below the previous one; test the rule right after computing that epoch's loss, and break"),
        variant("stops_one_epoch_early", "train_stop_not_recorded",
                "one epoch too few at the stop: the epoch that stops training belongs in the history; record it, "
                "then test previous − loss < tol and break"),
        variant("abs_decrease", "train_abs_decrease",
                "training goes on when the loss goes up: abs(previous − loss) counts a rise as progress; stop when "
                "previous − loss < tol, without abs"),
        variant("loss_compared_with_tol", "train_loss_below_tol",
                "you compare the loss itself with tol: the rule is on its decrease, stop when previous − loss < tol "
                "(previous is the loss one epoch earlier, or before training for epoch 0)"),
        variant("b_with_new_w", "train_b_with_new_w",
                "b's gradient was computed after w was updated: compute both gradients at the current (w, b), "
                "then update both"),
        variant("w_with_new_b", "train_w_with_new_b",
                "w's gradient was computed after b was updated: compute both gradients at the current (w, b), "
                "then update both"),
        *epochs_off(epochs=5), *lr_scaled(lr=4),
    ), uses=("gradients", "cross_entropy")),
    Task("predict", 1, "predict(X, w, b) returns the 0/1 labels, 1 where σ(X·w + b) ≥ 0.5", Value(), (
        case(X8, W8, 0.1), case(XP, WP, 0.0, label="z = 0 on one row"),
    ), mistakes=(
        BOOLEAN_LABELS,
        variant("strict_threshold", "predict_strict",
                "z = 0 means p = 0.5 exactly, which is labelled 1: use z ≥ 0 (p ≥ 0.5), not z > 0"),
        variant("probabilities", "predict_probabilities",
                "predict returns labels, not probabilities: 1 where σ(X·w + b) ≥ 0.5, else 0, as integers"),
    )),
)
