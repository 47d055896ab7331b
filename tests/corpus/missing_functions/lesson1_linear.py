def forward(x, w):
    return x * w


def loss(x, y, w):
    return (x * w - y) ** 2
