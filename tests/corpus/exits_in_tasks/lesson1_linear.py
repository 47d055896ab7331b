"""forward calls os._exit, train calls sys.exit."""
import os
import sys


def forward(x, w):
    os._exit(0)


def loss(x, y, w):
    return (x * w - y) ** 2


def gradient(x, y, w):
    return 2 * x * (x * w - y)


def dloss_dw():
    return "2*x*(x*w - y)"


def train(xs, ys, w, lr, epochs):
    sys.exit(0)
