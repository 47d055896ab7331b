import numpy as np


def minibatch_gd(X, y, w, b, lr, epochs, batch_size):
    w = np.array(w, dtype=float)
    n_batches = len(y) // batch_size
    history = []
    for epoch in range(epochs):
        for k in range(n_batches):
            Xb = X[k * batch_size:(k + 1) * batch_size]
            yb = y[k * batch_size:(k + 1) * batch_size]
            err = Xb @ w + b - yb
            w = w - lr * 2 * Xb.T @ err / len(yb)
            b = b - lr * 2 * err.mean()
            history.append({"epoch": epoch, "w": w, "b": b, "loss": ((X @ w + b - y) ** 2).mean()})
    return history
