def step(x, y, w1, w2, lr):
    error = w1 * x + w2 - y
    dC_dw1 = error * x  # dC/dw1
    dC_dw2 = error
    return w1 - lr * dC_dw1, w2 - lr * dC_dw2


def train(xs, ys, w1, w2, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            w1, w2 = step(x, y, w1, w2, lr)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "loss": (w1 * x + w2 - y) ** 2})
    return history
