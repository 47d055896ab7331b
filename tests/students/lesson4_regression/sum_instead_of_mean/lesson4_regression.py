import numpy as np


def mse(X, y, w, b):
    return float(np.mean((X @ w + b - y) ** 2))


def mse_gradients(X, y, w, b):
    errors = X @ w + b - y
    dw = 2 * X.T @ errors
    db = 2 * np.sum(errors)
    return dw, float(db)


def batch_gd(X, y, w, b, lr, epochs):
    w = w.copy()
    history = []
    for epoch in range(epochs):
        dw, db = mse_gradients(X, y, w, b)
        w = w - lr * dw
        b = b - lr * db
        history.append({"epoch": epoch, "w": w.copy(), "b": b, "loss": mse(X, y, w, b)})
    return history


def minibatch_gd(X, y, w, b, lr, epochs, batch_size):
    w = w.copy()
    history = []
    for epoch in range(epochs):
        for i in range(0, len(X), batch_size):
            dw, db = mse_gradients(X[i:i + batch_size], y[i:i + batch_size], w, b)
            w = w - lr * dw
            b = b - lr * db
            history.append({"epoch": epoch, "w": w.copy(), "b": b, "loss": mse(X, y, w, b)})
    return history
