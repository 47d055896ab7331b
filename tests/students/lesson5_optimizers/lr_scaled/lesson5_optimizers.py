def gradient_descent(theta, lr, iterations):
    thetas = []
    for _ in range(iterations):
        theta = theta - lr * (theta - 3)
        thetas.append(theta)
    return thetas
