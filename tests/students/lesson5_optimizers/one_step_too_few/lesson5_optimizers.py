import numpy as np


def minimize(optimizer, grad_fn, x0, steps):
    x = np.array(x0, dtype=float)
    out = []
    for step in range(1, steps):
        x = optimizer.step(x, grad_fn(x))
        out.append(x.copy())
    return out
