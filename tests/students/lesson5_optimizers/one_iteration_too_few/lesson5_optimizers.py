def gradient_descent(theta, lr, iterations):
    thetas = []
    i = 1
    while i < iterations:
        theta = theta - lr * 2 * (theta - 3)
        thetas.append(theta)
        i += 1
    return thetas
