import numpy as np


def mse(X, y, w, b):
    return float(np.mean((X @ w + b - y) ** 2))


def mse_gradients(X, y, w, b):
    errors = X @ w + b - y
    return 2 * X.T @ errors / len(y), 2 * float(np.mean(errors))


def batch_gd(X, y, w, b, lr, epochs):
    w = w.copy()
    history = []
    for epoch in range(epochs):
        loss = mse(X, y, w, b)
        dw, db = mse_gradients(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
    return history


def sgd(X, y, w, b, lr, epochs):
    w = w.copy()
    history = []
    for epoch in range(epochs):
        for i in range(len(y)):
            loss = mse(X, y, w, b)
            dw, db = mse_gradients(X[i:i + 1], y[i:i + 1], w, b)
            w, b = w - lr * dw, b - lr * db
            history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
    return history


def minibatch_gd(X, y, w, b, lr, epochs, batch_size):
    w = w.copy()
    history = []
    for epoch in range(epochs):
        for start in range(0, len(y), batch_size):
            loss = mse(X, y, w, b)
            dw, db = mse_gradients(X[start:start + batch_size], y[start:start + batch_size], w, b)
            w, b = w - lr * dw, b - lr * db
            history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
    return history
