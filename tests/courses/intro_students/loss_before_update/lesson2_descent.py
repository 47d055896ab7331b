# A student's lesson 2: the gradients are right, but fit records the loss before each update.


def gradients(xs, ys, w, b):
    n = len(xs)
    dw = sum(2 * x * (w * x + b - y) for x, y in zip(xs, ys)) / n
    db = sum(2 * (w * x + b - y) for x, y in zip(xs, ys)) / n
    return dw, db


def fit(xs, ys, w, b, lr, epochs):
    history = []
    for epoch in range(epochs):
        loss = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        dw, db = gradients(xs, ys, w, b)
        w = w - lr * dw
        b = b - lr * db
        history.append({"epoch": epoch, "w": w, "b": b, "loss": loss})
    return history
