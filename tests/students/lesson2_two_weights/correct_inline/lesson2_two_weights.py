import numpy as np


def step(x, y, w1, w2, lr):
    weights = np.array([w1, w2])
    inputs = np.array([x, 1.0])
    grad = 2 * (inputs @ weights - y) * inputs
    weights = weights - lr * grad
    return float(weights[0]), float(weights[1])


def train(xs, ys, w1, w2, lr, epochs):
    history = []
    for epoch in range(epochs):
        for i in range(len(xs)):
            e = xs[i] * w1 + w2 - ys[i]
            w1, w2 = w1 - lr * 2 * xs[i] * e, w2 - lr * 2 * e
            history.append(dict(epoch=epoch, w1=w1, w2=w2, loss=(xs[i] * w1 + w2 - ys[i]) ** 2))
    return history
