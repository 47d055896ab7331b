def gradient_descent(theta, lr, iterations):
    thetas = []
    for i in range(iterations):
        grad = 2 * (theta - 3)
        theta = theta + lr * grad
        thetas.append(theta)
    return thetas
