def step(x, y, w1, w2, lr):
    w1 = w1 - lr * 2 * (w1 * x + w2 - y) * x
    w2 = w2 - lr * 2 * (w1 * x + w2 - y)
    return w1, w2


def train(xs, ys, w1, w2, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            w1, w2 = step(x, y, w1, w2, lr)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "loss": (w1 * x + w2 - y) ** 2})
    return history
