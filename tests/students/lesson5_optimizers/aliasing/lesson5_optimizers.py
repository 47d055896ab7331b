import numpy as np


def minimize(optimizer, grad_fn, x0, steps):
    x = np.array(x0, dtype=float)
    trajectory = []
    for _ in range(steps):
        x[:] = optimizer.step(x, grad_fn(x))
        trajectory.append(x)
    return trajectory
