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
    raise NotImplementedError("predict is not implemented yet")


def mse(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """Mean squared error L = (1/N)·Σ(ŷᵢ − yᵢ)² over all N rows.

    Returns:
        L as a Python float.
    """
    raise NotImplementedError("mse is not implemented yet")


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
    raise NotImplementedError("mse_gradients is not implemented yet")


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
    raise NotImplementedError("ridge_gradients is not implemented yet")


def dridge_dw() -> sp.Expr:
    """Derivative of a one-sample ridge loss with respect to the weight w.

    Differentiate (x·w + b − y)² + lam·w² with respect to w, treating x, y, b
    and lam as constants. Use the symbols x, y, w, b, lam.

    Returns:
        A sympy expression (e.g. built from ``sp.symbols("x y w b lam")``) or a
        string such as ``"lam*x"``. Any algebraically equal form is accepted.
    """
    raise NotImplementedError("dridge_dw is not implemented yet")


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
    raise NotImplementedError("batch_gd is not implemented yet")


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
    raise NotImplementedError("sgd is not implemented yet")


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
    raise NotImplementedError("minibatch_gd is not implemented yet")


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
    raise NotImplementedError("max_stable_lr is not implemented yet")
