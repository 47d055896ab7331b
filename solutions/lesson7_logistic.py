"""Lesson 7 — classification: logistic regression trained with the cross-entropy loss.

A classifier answers yes or no. Each row of X holds the n features of one
example and its label y is 1.0 (yes) or 0.0 (no). The model first computes a
score z = X·w + b, as linear regression does, then squashes it into a
probability with the sigmoid σ(z) = 1 / (1 + e^(−z)): p = σ(z) is the model's
belief that the label is 1.

The squared error is a poor loss for probabilities; classification uses the
cross-entropy, which punishes a confident wrong answer without bound:

    ℓ = −[y·log p + (1 − y)·log(1 − p)]     for one example,
    L = the mean of ℓ over the N examples.

Written with z instead of p, the same loss is ℓ = log(1 + e^z) − y·z, and its
derivatives come out remarkably simple. Computers add a twist: e^z overflows
(becomes inf) once z passes about 709, and p rounds to exactly 1.0 long
before that (from z ≈ 37 on), so log(1 − p) can be log(0). The formulas on paper are right; the
code must be written so that no intermediate value overflows.

Training repeats gradient descent until the loss stops decreasing by a
meaningful amount, rather than for a fixed number of epochs.

Shapes: X is (N, n), y is (N,), w is (n,), b is a float.
"""

from __future__ import annotations

import numpy as np
import sympy as sp


def sigmoid(z: float | np.ndarray) -> float | np.ndarray:
    """The sigmoid σ(z) = 1 / (1 + e^(−z)), for a float or elementwise for an array.

    It must be accurate for every finite z, including z = ±1000. Written as
    above, e^(−z) overflows to inf for z below about −709 (NumPy warns
    "overflow encountered in exp"). The same number can be written two ways:

        σ(z) = 1 / (1 + e^(−z))     no overflow when z ≥ 0, since e^(−z) ≤ 1
        σ(z) = e^z / (1 + e^z)      no overflow when z < 0, since e^z < 1

    Use each where it is safe: with e = e^(−|z|) (never above 1), σ(z) is
    1 / (1 + e) for z ≥ 0 and e / (1 + e) for z < 0 (``np.where`` picks one
    for each element).

    Returns:
        A float for a float, a float64 array of the same shape for an array.
    """
    # BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return float(p) if p.ndim == 0 else p
    # END SOLUTION


def cross_entropy(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """The mean cross-entropy L of the model (w, b) on the data (X, y).

    For each example, with z = X·w + b and p = σ(z):

        ℓ = −[y·log p + (1 − y)·log(1 − p)] = log(1 + e^z) − y·z

    Both forms break when computed literally: p rounds to 1.0 for z above
    about 37, making log(1 − p) = log(0) = −inf, and e^z overflows above
    about 709. A stable form splits off the large part by hand:

        log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|))

    where e^(−|z|) ≤ 1 cannot overflow (``np.log1p(t)`` computes log(1 + t)
    accurately even for tiny t; ``np.logaddexp(0, z)`` is another safe way to
    get log(1 + e^z)).

    Returns:
        L as a Python float: finite for every finite z.
    """
    # BEGIN SOLUTION
    z = X @ w + b
    return float(np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))))
    # END SOLUTION


def dloss_dw() -> sp.Expr | str:
    """The derivative ∂ℓ/∂w of one example's loss, as a formula in x, y, w and b.

    Here x, w, y and b are single numbers: z = x·w + b, p = σ(z) and
    ℓ = −[y·log p + (1 − y)·log(1 − p)]. Work it out with the chain rule,
    using σ'(z) = σ(z)·(1 − σ(z)), and simplify: most of it cancels.

    Returns:
        A sympy expression (from ``sp.symbols("x y w b")``, with ``sp.exp``
        and ``sp.log``) or a string such as ``"x*exp(-(x*w + b))"``; a string
        may write σ(z) as ``sigmoid(z)``. Any algebraically equal form is
        accepted; do not call sympy.diff.
    """
    # BEGIN SOLUTION
    x, y, w, b = sp.symbols("x y w b")
    return x * (1 / (1 + sp.exp(-(x * w + b))) - y)
    # END SOLUTION


def dloss_db() -> sp.Expr | str:
    """The derivative ∂ℓ/∂b of one example's loss, in the same symbols x, y, w and b.

    Returns:
        A sympy expression or a string, as for ``dloss_dw``.
    """
    # BEGIN SOLUTION
    x, y, w, b = sp.symbols("x y w b")
    return 1 / (1 + sp.exp(-(x * w + b))) - y
    # END SOLUTION


def gradients(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
    """The gradient of L, the mean cross-entropy, with respect to w and b.

    ``dloss_dw`` and ``dloss_db`` give the derivatives for one example; L is
    the mean over the examples, so its gradient is the mean of theirs. With
    the errors e = σ(X·w + b) − y (shape (N,)):

        ∂L/∂w = (1/N)·Xᵀ·e        ∂L/∂b = (1/N)·Σᵢ eᵢ

    Returns:
        ``(dw, db)``: dw a float64 array of shape (n,), db a Python float.
    """
    # BEGIN SOLUTION
    errors = sigmoid(X @ w + b) - y
    return X.T @ errors / len(y), float(np.mean(errors))
    # END SOLUTION


def train(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, max_epochs: int,
          tol: float) -> list[dict]:
    """Full-batch gradient descent on L until it stops decreasing, for at most max_epochs epochs.

    Start with ``previous = cross_entropy(X, y, w, b)``, the loss before any
    update. Then for every epoch (numbered from 0):
      1. ``dw, db = gradients(X, y, w, b)``, both at the current (w, b);
      2. w ← w − lr·dw,  b ← b − lr·db;
      3. ``loss = cross_entropy(X, y, w, b)``, after the update, and append
         ``{"epoch": epoch, "w": a copy of w, "b": b, "loss": loss}``;
      4. stop if the loss went down by less than tol, that is if
         ``previous − loss < tol`` (a loss that went up stops it too);
         otherwise ``previous = loss`` and go on.

    The epoch that stops training is recorded. Do not modify the caller's
    ``w``: start from a copy.

    Returns:
        The history: one record per epoch run, at most ``max_epochs``.
    """
    # BEGIN SOLUTION
    w = np.array(w, dtype=float)
    b = float(b)
    previous = cross_entropy(X, y, w, b)
    history = []
    for epoch in range(max_epochs):
        dw, db = gradients(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        loss = cross_entropy(X, y, w, b)
        history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})  # w is a new array each epoch
        if previous - loss < tol:
            break
        previous = loss
    return history
    # END SOLUTION


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """The predicted labels: 1 where the model's probability σ(X·w + b) is at least 0.5, else 0.

    σ(z) ≥ 0.5 exactly when z ≥ 0, so no sigmoid is needed.

    Returns:
        An integer array of 0s and 1s, shape (N,).
    """
    # BEGIN SOLUTION
    return (X @ w + b >= 0).astype(int)
    # END SOLUTION
