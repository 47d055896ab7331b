"""Wrong versions of lesson 7's tasks: numerics that overflow, gradients and stopping rules gone wrong.

The training variants share one loop, :func:`descend`, the reference's loop
with its update and its stopping rule handed in, so each differs from the
reference in exactly one place.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from solutions.lesson7_logistic import cross_entropy, gradients, sigmoid, train
from solutions.mistakes.tools import rebind

Update = Callable[[np.ndarray, np.ndarray, np.ndarray, float, float], tuple[np.ndarray, float]]
Stop = Callable[[float, float, float], bool]  # (previous loss, loss, tol) → stop now?


# ------------------------------------------------------------------ numerics that overflow

def sigmoid_textbook(z: float | np.ndarray) -> float | np.ndarray:
    """1 / (1 + e^(−z)) as written: e^(−z) overflows to inf below z ≈ −709, so σ comes out 0.0 there."""
    with np.errstate(over="ignore"):
        p = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    return float(p) if p.ndim == 0 else p


def sigmoid_ratio(z: float | np.ndarray) -> float | np.ndarray:
    """e^z / (1 + e^z) as written: inf / inf is nan above z ≈ 709."""
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(np.asarray(z, dtype=float))
        p = e / (1 + e)
    return float(p) if p.ndim == 0 else p


def cross_entropy_overflow(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """log(1 + e^z) − y·z computed literally: e^z overflows above z ≈ 709 and the loss is inf."""
    z = X @ w + b
    with np.errstate(over="ignore"):
        return float(np.mean(np.log(1 + np.exp(z)) - y * z))


def cross_entropy_log_zero(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """−[y·log p + (1 − y)·log(1 − p)] from p = σ(z): p rounds to 0.0 or 1.0 far from 0, and 0·log(0) is nan."""
    p = sigmoid(X @ w + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def cross_entropy_sum(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """Sums the examples' losses instead of averaging them."""
    return cross_entropy(X, y, w, b) * len(y)


# ------------------------------------------------------------------ gradients

def gradients_sum(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
    """Sums the examples' gradients instead of averaging them."""
    dw, db = gradients(X, y, w, b)
    return dw * len(y), db * len(y)


def gradients_sign_flipped(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
    """Uses y − σ(z) for ∂ℓ/∂z: the gradient points uphill."""
    dw, db = gradients(X, y, w, b)
    return -dw, -db


def gradients_sigmoid_slope_kept(X: np.ndarray, y: np.ndarray, w: np.ndarray,
                                 b: float) -> tuple[np.ndarray, float]:
    """Multiplies the errors by σ'(z) = σ(z)(1 − σ(z)), which the cross-entropy's logs cancel."""
    p = sigmoid(X @ w + b)
    errors = (p - y) * p * (1 - p)
    return X.T @ errors / len(y), float(np.mean(errors))


gradients_overflow = rebind(gradients, "Computes σ with sigmoid_ratio, which is nan above z ≈ 709.",
                            sigmoid=sigmoid_ratio)


# ------------------------------------------------------------------ training: update and stopping rule

def together(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float) -> tuple[np.ndarray, float]:
    """The reference's update: both gradients at the current (w, b)."""
    dw, db = gradients(X, y, w, b)
    return w - lr * dw, b - lr * db


def w_then_b(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float) -> tuple[np.ndarray, float]:
    """Updates w, then computes b's gradient with the new w."""
    w = w - lr * gradients(X, y, w, b)[0]
    return w, b - lr * gradients(X, y, w, b)[1]


def b_then_w(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float) -> tuple[np.ndarray, float]:
    """Updates b, then computes w's gradient with the new b."""
    b = b - lr * gradients(X, y, w, b)[1]
    return w - lr * gradients(X, y, w, b)[0], b


def decreased_too_little(previous: float, loss: float, tol: float) -> bool:
    """The reference's rule: the loss went down by less than tol (or went up)."""
    return previous - loss < tol


def descend(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, max_epochs: int, tol: float, *,
            update: Update = together, stop: Stop = decreased_too_little, record_stop: bool = True) -> list[dict]:
    """The reference's training loop, with its update, its stopping rule and whether the epoch that stops
    training is recorded handed in."""
    w, b = np.array(w, dtype=float), float(b)
    previous = cross_entropy(X, y, w, b)
    history = []
    for epoch in range(max_epochs):
        w, b = update(X, y, w, b, lr)
        loss = cross_entropy(X, y, w, b)
        stopping = stop(previous, loss, tol)
        if record_stop or not stopping:
            history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
        if stopping:
            break
        previous = loss
    return history


def train_b_with_new_w(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, max_epochs: int,
                       tol: float) -> list[dict]:
    """Computes b's gradient after w was updated."""
    return descend(X, y, w, b, lr, max_epochs, tol, update=w_then_b)


def train_w_with_new_b(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, max_epochs: int,
                       tol: float) -> list[dict]:
    """Computes w's gradient after b was updated."""
    return descend(X, y, w, b, lr, max_epochs, tol, update=b_then_w)


def train_loss_below_tol(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, max_epochs: int,
                         tol: float) -> list[dict]:
    """Stops when the loss itself is below tol, instead of its decrease."""
    return descend(X, y, w, b, lr, max_epochs, tol, stop=lambda previous, loss, tol: loss < tol)


def train_abs_decrease(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, max_epochs: int,
                       tol: float) -> list[dict]:
    """Stops when |previous − loss| < tol: a loss that went up by more than tol does not stop it."""
    return descend(X, y, w, b, lr, max_epochs, tol, stop=lambda previous, loss, tol: abs(previous - loss) < tol)


def train_stop_not_recorded(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, max_epochs: int,
                            tol: float) -> list[dict]:
    """Breaks before recording the epoch that stops training: one epoch too few at the stop."""
    return descend(X, y, w, b, lr, max_epochs, tol, record_stop=False)


def train_one_epoch_past_stop(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, max_epochs: int,
                              tol: float) -> list[dict]:
    """Runs (and records) one more epoch after the one that stops training, within max_epochs."""
    history = train(X, y, w, b, lr, max_epochs, tol)
    if len(history) == max_epochs:
        return history
    extra = train(X, y, history[-1]["w"], history[-1]["b"], lr, 1, tol)[0]
    return [*history, {**extra, "epoch": len(history)}]


# ------------------------------------------------------------------ predict

def predict_strict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Labels 1 only where z > 0: p = 0.5 exactly comes out 0."""
    return (X @ w + b > 0).astype(int)


def predict_probabilities(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Returns the probabilities σ(z) instead of labels."""
    return np.asarray(sigmoid(X @ w + b))
