def gradient_descent(theta, lr, iterations):
    thetas = []
    for i in range(iterations + 1):
        theta = theta - lr * 2 * (theta - 3)
        thetas.append(theta)
    return thetas
