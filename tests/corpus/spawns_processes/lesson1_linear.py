"""forward leaves processes behind: one in a new session, one double-forked."""
import os
import subprocess
import sys

SLEEPER = [sys.executable, "-c", "import time; time.sleep(1000)", "gradekit-corpus-escapee", __file__]


def forward(x, w):
    subprocess.Popen(SLEEPER, start_new_session=True)
    middle = os.fork()
    if middle == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, SLEEPER)
        os._exit(0)
    os.waitpid(middle, 0)
    return x * w


def loss(x, y, w):
    return (x * w - y) ** 2


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
