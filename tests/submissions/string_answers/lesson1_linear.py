def forward(x, w):
    return x * w


def loss(x, y, w):
    return (x * w - y) ** 2


def gradient(x, y, w):
    return 2 * x ** 2 * w - 2 * x * y


def dloss_dw():
    return "2*x^2*w - 2*y*x"


def train(xs, ys, w, lr, epochs):
    history = []
    for epoch in range(epochs):
        for i in range(len(xs)):
            grad = gradient(xs[i], ys[i], w)
            w -= lr * grad
            history.append(dict(epoch=epoch, x=xs[i], y=ys[i], grad=grad, w=w, loss=loss(xs[i], ys[i], w),
                                note="extra keys are fine"))
    return history
