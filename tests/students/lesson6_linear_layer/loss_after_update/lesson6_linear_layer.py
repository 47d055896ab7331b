import numpy as np


def train_linear(x, target, W, b, lr, epochs):
    W, b = W.copy(), b.copy()
    history = []
    for epoch in range(epochs):
        pred = W @ x + b
        grad_out = 2 * (pred - target) / pred.size
        W = W - lr * np.outer(grad_out, x)
        b = b - lr * grad_out
        loss = np.mean((W @ x + b - target) ** 2)
        history.append({"epoch": epoch, "loss": loss, "W": W, "b": b})
    return history
