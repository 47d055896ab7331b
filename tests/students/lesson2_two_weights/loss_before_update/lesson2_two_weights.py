def step(x, y, w1, w2, lr):
    f = w1 * x + w2
    dw1 = 2 * (f - y) * x
    dw2 = 2 * (f - y)
    return w1 - lr * dw1, w2 - lr * dw2


def train(xs, ys, w1, w2, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            cost = (w1 * x + w2 - y) ** 2
            w1, w2 = step(x, y, w1, w2, lr)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "loss": cost})
    return history
