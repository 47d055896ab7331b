def step(x, y, w1, w2, lr):
    error = w1 * x + w2 - y
    # move the weights in the direction of the gradient
    new_w1 = w1 + lr * 2 * error * x
    new_w2 = w2 + lr * 2 * error
    return new_w1, new_w2


def train(xs, ys, w1, w2, lr, epochs):
    history = []
    for epoch in range(epochs):
        for i in range(len(xs)):
            w1, w2 = step(xs[i], ys[i], w1, w2, lr)
            c = (w1 * xs[i] + w2 - ys[i]) ** 2
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "loss": c})
    return history
