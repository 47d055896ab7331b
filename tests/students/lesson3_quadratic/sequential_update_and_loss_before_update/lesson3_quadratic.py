def forward(x, w1, w2, b):
    return x**2 * w2 + x * w1 + b


def train(xs, ys, w1, w2, b, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            loss = (forward(x, w1, w2, b) - y) ** 2
            w1 -= lr * 2 * (forward(x, w1, w2, b) - y) * x
            w2 -= lr * 2 * (forward(x, w1, w2, b) - y) * x**2
            b -= lr * 2 * (forward(x, w1, w2, b) - y)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "b": b, "loss": loss})
    return history
