"""Lesson 4 — linear regression with NumPy, and three ways to walk downhill.

Each of the N rows of X holds the n features of one example; the model
predicts ŷ = X·w + b and is scored by the mean squared error
L = (1/N)·Σ(ŷᵢ − yᵢ)². Gradient descent can estimate the slope of L from all
rows at once (batch), from one row at a time (stochastic) or from small groups
of rows (mini-batch). The lesson also adds an L2 penalty (ridge) and asks how
large the learning rate may be before batch gradient descent blows up.

Shapes: X is (N, n), y is (N,), w is (n,), b is a float.
"""

from __future__ import annotations

import numpy as np
import sympy as sp


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Predictions ŷ = X·w + b for every row of X.

    Returns:
        A float64 array of shape (N,).
    """
    # BEGIN SOLUTION
    return X @ w + b
    # END SOLUTION


def mse(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """Mean squared error L = (1/N)·Σ(ŷᵢ − yᵢ)² over all N rows.

    Returns:
        L as a Python float.
    """
    # BEGIN SOLUTION
    return float(np.mean((predict(X, w, b) - y) ** 2))
    # END SOLUTION


def mse_gradients(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float
) -> tuple[np.ndarray, float]:
    """Gradient of L with respect to w and b.

    With the errors e = ŷ − y (shape (N,)):
        ∂L/∂wⱼ = (2/N)·Σᵢ eᵢ·Xᵢⱼ   — for all j at once: (2/N)·Xᵀ·e
        ∂L/∂b  = (2/N)·Σᵢ eᵢ

    Returns:
        ``(dw, db)``: dw a float64 array of shape (n,), db a Python float.
    """
    # BEGIN SOLUTION
    errors = predict(X, w, b) - y
    n_rows = len(y)
    return 2 / n_rows * (X.T @ errors), float(2 / n_rows * np.sum(errors))
    # END SOLUTION


def ridge_gradients(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lam: float
) -> tuple[np.ndarray, float]:
    """Gradient of the ridge objective L + lam·‖w‖², where ‖w‖² = Σⱼ wⱼ².

    The penalty only involves w, so ∂/∂b is the same as for L alone. For w,
    add the gradient of lam·‖w‖² to the gradient of L (``dridge_dw`` works
    out the one-weight version of this).

    Returns:
        ``(dw, db)``: dw a float64 array of shape (n,), db a Python float.
    """
    # BEGIN SOLUTION
    dw, db = mse_gradients(X, y, w, b)
    return dw + 2 * lam * w, db
    # END SOLUTION


def dridge_dw() -> sp.Expr:
    """Derivative of a one-sample ridge loss with respect to the weight w.

    Differentiate (x·w + b − y)² + lam·w² with respect to w, treating x, y, b
    and lam as constants. Use the symbols x, y, w, b, lam.

    Returns:
        A sympy expression (e.g. built from ``sp.symbols("x y w b lam")``) or a
        string such as ``"lam*x"``. Any algebraically equal form is accepted.
    """
    # BEGIN SOLUTION
    x, y, w, b, lam = sp.symbols("x y w b lam")
    return 2 * x * (x * w + b - y) + 2 * lam * w
    # END SOLUTION


def batch_gd(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, epochs: int
) -> list[dict]:
    """Full-batch gradient descent: one update per epoch using all rows.

    For every epoch (numbered from 0):
      1. ``dw, db = mse_gradients(X, y, w, b)`` on the whole data set;
      2. w ← w − lr·dw,  b ← b − lr·db;
      3. append ``{"epoch": epoch, "w": a copy of w, "b": b,
         "loss": mse(X, y, w, b)}`` — the loss after the update.

    Do not modify the caller's ``w``: start from a copy.

    Returns:
        The history: ``epochs`` records.
    """
    # BEGIN SOLUTION
    return minibatch_gd(X, y, w, b, lr, epochs, batch_size=len(y))
    # END SOLUTION


def sgd(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, epochs: int
) -> list[dict]:
    """Stochastic gradient descent: one update per row, rows in order.

    For every epoch (numbered from 0), for every row i = 0, 1, …, N−1 (no
    shuffling):
      1. compute the gradient of the loss on that row alone, i.e.
         ``mse_gradients(X[i:i+1], y[i:i+1], w, b)``;
      2. w ← w − lr·dw,  b ← b − lr·db;
      3. append ``{"epoch": epoch, "w": a copy of w, "b": b,
         "loss": mse(X, y, w, b)}`` — L on the WHOLE data set, after the update.

    Do not modify the caller's ``w``: start from a copy.

    Returns:
        The history: ``epochs · N`` records.
    """
    # BEGIN SOLUTION
    return minibatch_gd(X, y, w, b, lr, epochs, batch_size=1)
    # END SOLUTION


def minibatch_gd(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: float,
    lr: float,
    epochs: int,
    batch_size: int,
) -> list[dict]:
    """Mini-batch gradient descent: one update per group of rows.

    For every epoch (numbered from 0), cut the rows in order into batches
    ``X[i:i+batch_size], y[i:i+batch_size]`` for i = 0, batch_size,
    2·batch_size, … (the last batch may be smaller; no shuffling). For each
    batch:
      1. ``dw, db = mse_gradients(X_batch, y_batch, w, b)`` — the mean over
         the rows of the batch;
      2. w ← w − lr·dw,  b ← b − lr·db;
      3. append ``{"epoch": epoch, "w": a copy of w, "b": b,
         "loss": mse(X, y, w, b)}`` — L on the WHOLE data set, after the update.

    Example: N = 5 and batch_size = 2 give batches of 2, 2 and 1 rows, so three
    records per epoch. Do not modify the caller's ``w``: start from a copy.

    Returns:
        The history: ``epochs · ceil(N / batch_size)`` records.
    """
    # BEGIN SOLUTION
    w = np.array(w, dtype=float)
    b = float(b)
    history = []
    for epoch in range(epochs):
        for start in range(0, len(y), batch_size):
            rows = slice(start, start + batch_size)
            dw, db = mse_gradients(X[rows], y[rows], w, b)
            w -= lr * dw
            b -= lr * db
            history.append({"epoch": epoch, "w": w.copy(), "b": b, "loss": mse(X, y, w, b)})
    return history
    # END SOLUTION


def max_stable_lr(X: np.ndarray) -> float:
    """The largest learning rate for which full-batch GD on L still converges.

    L is a quadratic bowl in the parameters (w, b). Its curvature is the
    Hessian H = (2/N)·X̃ᵀ·X̃, where X̃ = [X, 1] is X with a column of ones
    appended (that column belongs to b). Along the steepest direction of the
    bowl, one GD step multiplies the distance to the minimum by (1 − lr·λmax),
    where λmax is the largest eigenvalue of H; this stays below 1 in size only
    while lr < 2 / λmax.

    Hint: ``np.column_stack`` builds X̃ and ``np.linalg.eigvalsh`` returns the
    eigenvalues of a symmetric matrix in ascending order.

    Returns:
        2 / λmax as a Python float.
    """
    # BEGIN SOLUTION
    X_tilde = np.column_stack([X, np.ones(len(X))])
    hessian = 2 / len(X) * (X_tilde.T @ X_tilde)
    return float(2 / np.linalg.eigvalsh(hessian)[-1])
    # END SOLUTION
