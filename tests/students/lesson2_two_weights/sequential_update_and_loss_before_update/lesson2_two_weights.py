def train(xs, ys, w1, w2, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            loss = (w1 * x + w2 - y) ** 2
            w1 = w1 - lr * 2 * (w1 * x + w2 - y) * x
            w2 = w2 - lr * 2 * (w1 * x + w2 - y)
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "loss": loss})
    return history
