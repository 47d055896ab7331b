import numpy as np


def sgd(X, y, w, b, lr, epochs):
    w = np.array(w, dtype=float)
    rng = np.random.default_rng(0)
    history = []
    for epoch in range(epochs):
        order = rng.permutation(len(y))
        for i in order:
            error = X[i] @ w + b - y[i]
            w = w - lr * 2 * error * X[i]
            b = b - lr * 2 * error
            loss = np.mean((X @ w + b - y) ** 2)
            history.append({"epoch": epoch, "w": w.copy(), "b": b, "loss": loss})
    return history
