import numpy as np


def gradient_descent(theta, lr, iterations):
    thetas = []
    for _ in range(iterations):
        thetas.append(theta)
        theta -= lr * 2 * (theta - 3)
    return thetas


def minimize(optimizer, grad_fn, x0, steps):
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(steps):
        x = optimizer.step(x, grad_fn(x))
        path.append(x.copy())
    return path
