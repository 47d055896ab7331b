def forward(x, w1, w2, b):
    return x**2 * w2 + x * w1 + b


def gradients(x, y, w1, w2, b):
    e = forward(x, w1, w2, b) - y
    return 2 * e * x, 2 * e * x**2, 2 * e


def train(xs, ys, w1, w2, b, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            g1, g2, gb = gradients(x, y, w1, w2, b)
            w1 += lr * g1
            w2 += lr * g2
            b += lr * gb
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "b": b, "loss": (forward(x, w1, w2, b) - y) ** 2})
    return history
