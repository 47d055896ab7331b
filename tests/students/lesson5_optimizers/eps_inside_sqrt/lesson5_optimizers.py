import numpy as np


class Adagrad:
    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.G = None

    def step(self, params, grads):
        if self.G is None:
            self.G = np.zeros(params.shape)
        self.G += grads ** 2
        return params - self.lr * grads / np.sqrt(self.G + self.eps)


class RMSprop:
    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.sq = None

    def step(self, params, grads):
        if self.sq is None:
            self.sq = np.zeros(params.shape)
        self.sq = self.alpha * self.sq + (1 - self.alpha) * grads ** 2
        return params - self.lr * grads / np.sqrt(self.sq + self.eps)


class Adam:
    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.t = 0
        self.m = self.v = None

    def step(self, params, grads):
        beta1, beta2 = self.betas
        if self.m is None:
            self.m, self.v = np.zeros(params.shape), np.zeros(params.shape)
        self.t += 1
        self.m = beta1 * self.m + (1 - beta1) * grads
        self.v = beta2 * self.v + (1 - beta2) * grads ** 2
        m_hat = self.m / (1 - beta1 ** self.t)
        v_hat = self.v / (1 - beta2 ** self.t)
        return params - self.lr * m_hat / np.sqrt(v_hat + self.eps)
