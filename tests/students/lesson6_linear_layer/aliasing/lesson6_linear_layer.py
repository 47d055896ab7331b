import numpy as np


def train_linear(x, target, W, b, lr, epochs):
    W = np.array(W, dtype=float)
    b = np.array(b, dtype=float)
    history = []
    for epoch in range(epochs):
        pred = W @ x + b
        loss = np.mean((pred - target) ** 2)
        g = 2 * (pred - target) / pred.size
        W -= lr * np.outer(g, x)
        b -= lr * g
        history.append({"epoch": epoch, "loss": loss, "W": W, "b": b})
    return history
