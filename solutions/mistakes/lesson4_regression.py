"""Wrong versions of lesson 4's tasks.

batch_gd and sgd are the reference's minibatch_gd with one batch size, so their
variants are the reference's batch_gd and sgd calling a wrong minibatch_gd.
"""

from __future__ import annotations

import numpy as np

from solutions.lesson4_regression import batch_gd, minibatch_gd, mse, mse_gradients, sgd
from solutions.mistakes.tools import rebind


def mse_gradients_sum(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
    """Sums the gradient over the rows instead of averaging it (no division by N)."""
    dw, db = mse_gradients(X, y, w, b)
    return dw * len(y), db * len(y)


def _weights_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
    return mse_gradients(X, y, w, b)[0], 0.0


def minibatch_gd_loss_before_update(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, epochs: int,
                                    batch_size: int) -> list[dict]:
    """Records the loss measured before each update instead of after it."""
    history = minibatch_gd(X, y, w, b, lr, epochs, batch_size)
    before = [mse(X, y, np.asarray(w, dtype=float), float(b))] + [r["loss"] for r in history[:-1]]
    return [dict(record, loss=loss) for record, loss in zip(history, before)]


def minibatch_gd_last_batch_dropped(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lr: float, epochs: int,
                                    batch_size: int) -> list[dict]:
    """Skips the last batch of each epoch when it has fewer than batch_size rows."""
    w = np.array(w, dtype=float)
    b = float(b)
    history = []
    for epoch in range(epochs):
        for start in range(0, len(y) - batch_size + 1, batch_size):
            rows = slice(start, start + batch_size)
            dw, db = mse_gradients(X[rows], y[rows], w, b)
            w, b = w - lr * dw, b - lr * db
            history.append({"epoch": epoch, "w": w, "b": b, "loss": mse(X, y, w, b)})
    return history


minibatch_gd_sum = rebind(minibatch_gd, "Sums each batch's gradient instead of averaging it.",
                          mse_gradients=mse_gradients_sum)
minibatch_gd_bias_not_updated = rebind(minibatch_gd, "Never updates the bias b.", mse_gradients=_weights_gradient)

batch_gd_sum = rebind(batch_gd, "Sums the gradient over the rows instead of averaging it.",
                      minibatch_gd=minibatch_gd_sum)
batch_gd_bias_not_updated = rebind(batch_gd, "Never updates the bias b.", minibatch_gd=minibatch_gd_bias_not_updated)
batch_gd_loss_before_update = rebind(batch_gd, "Records the loss measured before each update.",
                                     minibatch_gd=minibatch_gd_loss_before_update)
sgd_bias_not_updated = rebind(sgd, "Never updates the bias b.", minibatch_gd=minibatch_gd_bias_not_updated)
sgd_loss_before_update = rebind(sgd, "Records the loss measured before each update.",
                                minibatch_gd=minibatch_gd_loss_before_update)
