"""Lesson 6 — a linear layer trained by hand.

PyTorch's ``nn.Linear(4, 2)`` holds a weight matrix W of shape (out, in) =
(2, 4) and a bias vector b of shape (out,) and computes W·x + b. Here you
rebuild it with NumPy, together with the mean squared error loss, the
gradients that ``loss.backward()`` would compute, and the update that
``torch.optim.SGD`` would make, so that your training run prints the same
losses as the PyTorch one.

Shapes: x is (in,), W is (out, in), b, pred and target are (out,).
"""

from __future__ import annotations

import numpy as np


def linear_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Output of the layer: W·x + b (matrix times vector, plus the bias).

    Returns:
        A float64 array of shape (out,).
    """
    raise NotImplementedError("linear_forward is not implemented yet")


def mse_loss(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error: the average of (pred − target)² over the outputs.

    Returns:
        The loss as a Python float.
    """
    raise NotImplementedError("mse_loss is not implemented yet")


def linear_backward(
    x: np.ndarray, pred: np.ndarray, target: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of ``mse_loss(pred, target)`` with respect to W and b.

    With out = number of outputs and pred = W·x + b:
        dpred = 2·(pred − target) / out      — ∂loss/∂pred, shape (out,)
        dW[i, j] = dpred[i]·x[j]             — the outer product, shape (out, in)
        db = dpred                           — shape (out,)

    Hint: ``np.outer`` builds dW in one call.

    Returns:
        The tuple ``(dW, db)`` of float64 arrays.
    """
    raise NotImplementedError("linear_backward is not implemented yet")


def train_linear(
    x: np.ndarray,
    target: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    lr: float,
    epochs: int,
) -> list[dict]:
    """Train the layer on one example with plain gradient descent.

    Start from float64 copies of W and b (never change the caller's arrays).
    For every epoch (numbered from 0):
      1. pred = linear_forward(x, W, b);
      2. loss = mse_loss(pred, target) — BEFORE the update, as PyTorch's
         training loop prints it;
      3. dW, db = linear_backward(x, pred, target);
      4. W ← W − lr·dW,  b ← b − lr·db;
      5. append ``{"epoch": epoch, "loss": loss, "W": a copy of W,
         "b": a copy of b}`` — W and b AFTER the update.

    Returns:
        The history: ``epochs`` records.
    """
    raise NotImplementedError("train_linear is not implemented yet")
