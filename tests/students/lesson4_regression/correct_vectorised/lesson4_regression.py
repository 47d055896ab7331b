import numpy as np


def mse(X, y, w, b):
    r = y - X.dot(w) - b
    return float(r @ r / r.size)


def mse_gradients(X, y, w, b):
    r = y - X.dot(w) - b
    n = r.size
    return -2.0 * np.einsum("ij,i->j", X, r) / n, -2.0 * r.sum() / n


def batch_gd(X, y, w, b, lr, epochs):
    w = w.astype(float)
    history = []
    for epoch in range(epochs):
        dw, db = mse_gradients(X, y, w, b)
        w -= lr * dw
        b -= lr * db
        history.append({"epoch": epoch, "w": w.copy(), "b": b, "loss": mse(X, y, w, b)})
    return history


def sgd(X, y, w, b, lr, epochs):
    w = w.astype(float)
    history = []
    for epoch in range(epochs):
        for x_i, y_i in zip(X, y):
            r = y_i - x_i @ w - b
            w += 2 * lr * r * x_i
            b += 2 * lr * r
            history.append({"epoch": epoch, "w": w.copy(), "b": b, "loss": mse(X, y, w, b)})
    return history


def minibatch_gd(X, y, w, b, lr, epochs, batch_size):
    w = w.astype(float)
    history = []
    batches = np.array_split(np.arange(len(y)), range(batch_size, len(y), batch_size))
    for epoch in range(epochs):
        for rows in batches:
            dw, db = mse_gradients(X[rows], y[rows], w, b)
            w -= lr * dw
            b -= lr * db
            history.append({"epoch": epoch, "w": w.copy(), "b": b, "loss": mse(X, y, w, b)})
    return history
