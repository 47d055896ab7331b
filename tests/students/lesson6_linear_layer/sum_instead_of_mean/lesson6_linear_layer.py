import numpy as np


def linear_forward(x, W, b):
    return W @ x + b


def mse_loss(pred, target):
    return float(np.mean((pred - target) ** 2))


def linear_backward(x, pred, target):
    dpred = 2 * (pred - target)
    dW = np.outer(dpred, x)
    db = dpred
    return dW, db


def train_linear(x, target, W, b, lr, epochs):
    W, b = W.copy(), b.copy()
    history = []
    for epoch in range(epochs):
        pred = linear_forward(x, W, b)
        loss = mse_loss(pred, target)
        dW, db = linear_backward(x, pred, target)
        W = W - lr * dW
        b = b - lr * db
        history.append({"epoch": epoch, "loss": loss, "W": W.copy(), "b": b.copy()})
    return history
