import numpy as np

velocity = {}


class Momentum:
    def __init__(self, lr, momentum=0.9):
        self.lr = lr
        self.momentum = momentum

    def step(self, params, grads):
        if "buf" not in velocity:
            velocity["buf"] = grads.copy()
        else:
            velocity["buf"] = self.momentum * velocity["buf"] + grads
        return params - self.lr * velocity["buf"]


class Adagrad:
    state = {}

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps

    def step(self, params, grads):
        self.state["sum"] = self.state.get("sum", 0) + grads ** 2
        return params - self.lr * grads / (np.sqrt(self.state["sum"]) + self.eps)


class RMSprop:
    v = None

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps

    def step(self, params, grads):
        if RMSprop.v is None:
            RMSprop.v = np.zeros_like(params)
        RMSprop.v = self.alpha * RMSprop.v + (1 - self.alpha) * grads ** 2
        return params - self.lr * grads / (np.sqrt(RMSprop.v) + self.eps)


class Adam:
    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        Adam.lr = lr
        Adam.beta1, Adam.beta2 = betas
        Adam.eps = eps
        Adam.t = 0
        Adam.m = 0.0
        Adam.v = 0.0

    def step(self, params, grads):
        Adam.t += 1
        Adam.m = Adam.beta1 * Adam.m + (1 - Adam.beta1) * grads
        Adam.v = Adam.beta2 * Adam.v + (1 - Adam.beta2) * grads ** 2
        m_hat = Adam.m / (1 - Adam.beta1 ** Adam.t)
        v_hat = Adam.v / (1 - Adam.beta2 ** Adam.t)
        return params - Adam.lr * m_hat / (np.sqrt(v_hat) + Adam.eps)
