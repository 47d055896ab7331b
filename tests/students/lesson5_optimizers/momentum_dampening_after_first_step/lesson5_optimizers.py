class Momentum:
    def __init__(self, lr, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.buf = None

    def step(self, params, grads):
        if self.buf is None:
            self.buf = grads.copy()
        else:
            self.buf = self.momentum * self.buf + (1 - self.momentum) * grads
        return params - self.lr * self.buf
