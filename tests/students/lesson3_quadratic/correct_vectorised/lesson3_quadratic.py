import numpy as np


def forward(x, w1, w2, b):
    return float(np.dot([x, x * x, 1.0], [w1, w2, b]))


def gradients(x, y, w1, w2, b):
    features = np.array([x, x**2, 1.0])
    g = 2.0 * (features @ np.array([w1, w2, b]) - y) * features
    return float(g[0]), float(g[1]), float(g[2])


def train(xs, ys, w1, w2, b, lr, epochs):
    params = np.array([w1, w2, b], dtype=float)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            params -= lr * np.array(gradients(x, y, *params))
            w1, w2, b = (float(p) for p in params)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "b": b, "loss": (forward(x, w1, w2, b) - y) ** 2})
    return history
