import random


def step(x, y, w1, w2, lr):
    f = w1 * x + w2
    return w1 - lr * 2 * (f - y) * x, w2 - lr * 2 * (f - y)


def train(xs, ys, w1, w2, lr, epochs):
    random.seed(4)
    data = list(zip(xs, ys))
    history = []
    for epoch in range(epochs):
        random.shuffle(data)   # SGD: visit the samples in a random order
        for x, y in data:
            w1, w2 = step(x, y, w1, w2, lr)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "loss": (w1 * x + w2 - y) ** 2})
    return history
