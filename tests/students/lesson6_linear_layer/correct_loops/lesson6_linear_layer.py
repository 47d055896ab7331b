def linear_forward(x, W, b):
    out = []
    for i in range(len(W)):
        out.append(sum(W[i][j] * x[j] for j in range(len(x))) + b[i])
    return out


def mse_loss(pred, target):
    return sum((p - t) ** 2 for p, t in zip(pred, target)) / len(pred)


def linear_backward(x, pred, target):
    n_out = len(pred)
    dW = [[2 * (pred[i] - target[i]) / n_out * x[j] for j in range(len(x))] for i in range(n_out)]
    db = [2 * (pred[i] - target[i]) / n_out for i in range(n_out)]
    return dW, db


def train_linear(x, target, W, b, lr, epochs):
    W = [list(row) for row in W]
    b = list(b)
    history = []
    for epoch in range(epochs):
        pred = linear_forward(x, W, b)
        loss = mse_loss(pred, target)
        dW, db = linear_backward(x, pred, target)
        for i in range(len(W)):
            for j in range(len(W[i])):
                W[i][j] -= lr * dW[i][j]
            b[i] -= lr * db[i]
        history.append({"epoch": epoch, "loss": loss, "W": [list(row) for row in W], "b": list(b)})
    return history
