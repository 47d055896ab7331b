import numpy as np


def train_linear(x, target, W, b, lr, epochs):
    W = W.astype(float)
    b = b.astype(float)
    history = []
    for epoch in range(epochs):
        pred = W @ x + b
        loss = np.mean((pred - target) ** 2)
        dpred = 2 * (pred - target) / len(pred)
        W = W + lr * np.outer(dpred, x)
        b = b + lr * dpred
        history.append({"epoch": epoch, "loss": loss, "W": W, "b": b})
    return history
