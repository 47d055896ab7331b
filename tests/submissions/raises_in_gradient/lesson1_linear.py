import math


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (x * w - y) ** 2


def helper(x, y, w):
    return math.sqrt(x * w - y) * 0


def gradient(x, y, w):
    return 2 * x * (x * w - y) + helper(x, y, w)


def dloss_dw():
    return None


def train(xs, ys, w, lr, epochs):
    return "not a history"
