def forward(x, w1, w2, b):
    return x**2 * w2 + x * w1 + b


def train(xs, ys, w1, w2, b, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            err = forward(x, w1, w2, b) - y
            w1, w2, b = w1 - lr * err * x, w2 - lr * err * x * x, b - lr * err
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "b": b, "loss": (forward(x, w1, w2, b) - y) ** 2})
    return history
