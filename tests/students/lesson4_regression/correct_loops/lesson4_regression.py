def predict_row(row, w, b):
    total = b
    for j in range(len(row)):
        total += row[j] * w[j]
    return total


def mse(X, y, w, b):
    total = 0.0
    for i in range(len(y)):
        total += (predict_row(X[i], w, b) - y[i]) ** 2
    return total / len(y)


def mse_gradients(X, y, w, b):
    dw = [0.0] * len(w)
    db = 0.0
    for i in range(len(y)):
        error = predict_row(X[i], w, b) - y[i]
        for j in range(len(w)):
            dw[j] += 2 * error * X[i][j] / len(y)
        db += 2 * error / len(y)
    return dw, db


def update(w, b, dw, db, lr):
    return [w[j] - lr * dw[j] for j in range(len(w))], b - lr * db


def batch_gd(X, y, w, b, lr, epochs):
    w = list(w)
    history = []
    for epoch in range(epochs):
        w, b = update(w, b, *mse_gradients(X, y, w, b), lr)
        history.append({"epoch": epoch, "w": list(w), "b": b, "loss": mse(X, y, w, b)})
    return history


def sgd(X, y, w, b, lr, epochs):
    w = list(w)
    history = []
    for epoch in range(epochs):
        for i in range(len(y)):
            w, b = update(w, b, *mse_gradients(X[i:i + 1], y[i:i + 1], w, b), lr)
            history.append({"epoch": epoch, "w": list(w), "b": b, "loss": mse(X, y, w, b)})
    return history


def minibatch_gd(X, y, w, b, lr, epochs, batch_size):
    w = list(w)
    history = []
    for epoch in range(epochs):
        start = 0
        while start < len(y):
            stop = min(start + batch_size, len(y))
            w, b = update(w, b, *mse_gradients(X[start:stop], y[start:stop], w, b), lr)
            history.append({"epoch": epoch, "w": list(w), "b": b, "loss": mse(X, y, w, b)})
            start = stop
    return history
