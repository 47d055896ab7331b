import numpy as np


class Momentum:
    def __init__(self, lr, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.velocity = None

    def step(self, params, grads):
        if self.velocity is None:
            self.velocity = np.zeros_like(params)
        # running average of the gradients
        self.velocity = self.momentum * self.velocity + (1 - self.momentum) * grads
        return params - self.lr * self.velocity
