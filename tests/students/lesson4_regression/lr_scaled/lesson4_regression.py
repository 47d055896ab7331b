import numpy as np


def loss_of(X, y, w, b):
    return float(np.mean((X @ w + b - y) ** 2))


def slope(X, y, w, b):
    e = X @ w + b - y
    return X.T @ e / len(e), e.mean()


def batch_gd(X, y, w, b, lr, epochs):
    return minibatch_gd(X, y, w, b, lr, epochs, len(y))


def sgd(X, y, w, b, lr, epochs):
    return minibatch_gd(X, y, w, b, lr, epochs, 1)


def minibatch_gd(X, y, w, b, lr, epochs, batch_size):
    w = w.copy()
    history = []
    for epoch in range(epochs):
        for i in range(0, len(y), batch_size):
            gw, gb = slope(X[i:i + batch_size], y[i:i + batch_size], w, b)
            w, b = w - lr * gw, b - lr * gb
            history.append({"epoch": epoch, "w": w, "b": b, "loss": loss_of(X, y, w, b)})
    return history
