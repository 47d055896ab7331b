import numpy as np


def gradient_descent(theta, lr, iterations):
    history = []
    while len(history) < iterations:
        theta = theta - 2 * lr * (theta - 3)
        history.append(theta)
    return history


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        new = params.copy()
        new -= self.lr * grads
        return new


class Momentum:
    def __init__(self, lr, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.state = {}

    def step(self, params, grads):
        if "buf" in self.state:
            self.state["buf"] *= self.momentum
            self.state["buf"] += grads
        else:
            self.state["buf"] = np.array(grads, dtype=float)
        return params - self.lr * self.state["buf"]


class Adagrad:
    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.state = {}

    def step(self, params, grads):
        total = self.state.setdefault("sum", np.zeros_like(params))
        total += grads * grads
        return params - self.lr / (np.sqrt(total) + self.eps) * grads


class RMSprop:
    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.state = {}

    def step(self, params, grads):
        v = self.state.setdefault("v", np.zeros_like(params))
        v *= self.alpha
        v += (1 - self.alpha) * grads**2
        return params - self.lr * grads / (v**0.5 + self.eps)


class Adam:
    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.betas, self.eps = lr, betas, eps
        self.state = {"t": 0}

    def step(self, params, grads):
        b1, b2 = self.betas
        s = self.state
        if "m" not in s:
            s["m"], s["v"] = np.zeros_like(params), np.zeros_like(params)
        s["t"] += 1
        s["m"] = b1 * s["m"] + (1 - b1) * grads
        s["v"] = b2 * s["v"] + (1 - b2) * grads**2
        step_size = self.lr / (1 - b1 ** s["t"])
        denom = np.sqrt(s["v"]) / np.sqrt(1 - b2 ** s["t"]) + self.eps
        return params - step_size * s["m"] / denom


def minimize(optimizer, grad_fn, x0, steps):
    points = []
    x = np.asarray(x0, dtype=float)
    for _ in range(steps):
        x = optimizer.step(x, grad_fn(x))
        points.append(np.copy(x))
    return points
