"""loss grows a list without end."""


def forward(x, w):
    return x * w


def loss(x, y, w):
    grow = []
    while True:
        grow.append([x * w - y] * 10_000_000)  # 80 MB a step: the limit is reached well within 1 s


def gradient(x, y, w):
    return 2 * x * (x * w - y)


def dloss_dw():
    return "2*x*(x*w - y)"


def train(xs, ys, w, lr, epochs):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            grad = 2 * x * (x * w - y)
            w = w - lr * grad
            history.append({"epoch": epoch, "x": x, "y": y, "grad": grad, "w": w, "loss": (x * w - y) ** 2})
    return history
