def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def gradient(x, y, w):
    return 2 * x * (y - x * w)


def dloss_dw():
    return "2*x*(y - x*w)"


def train(xs, ys, w, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            grad = gradient(x, y, w)
            w = w - lr * grad
            history.append({"epoch": epoch, "x": x, "y": y, "grad": grad, "w": w, "loss": loss(x, y, w)})
    return history
