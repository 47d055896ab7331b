"""gradient asks numpy for an 80 GB array."""
import numpy as np


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (x * w - y) ** 2


def gradient(x, y, w):
    grid = np.ones((100_000, 100_000))
    return float(grid.sum()) * 0 + 2 * x * (x * w - y)


def dloss_dw():
    return "2*x*(x*w - y)"


def train(xs, ys, w, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            grad = 2 * x * (x * w - y)
            w = w - lr * grad
            history.append({"epoch": epoch, "x": x, "y": y, "grad": grad, "w": w, "loss": (x * w - y) ** 2})
    return history
