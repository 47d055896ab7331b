"""The lesson 5 optimizers, the lesson 6 layer and lesson 7's cross-entropy and training against PyTorch, in float64."""

from __future__ import annotations

import numpy as np
import pytest

from solutions import lesson5_optimizers as L5
from solutions import lesson6_linear_layer as L6
from solutions import lesson7_logistic as L7

torch = pytest.importorskip("torch")

STEPS = 20
A = np.array([[3.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 0.4]])
C = np.array([1.0, -2.0, 0.5])
START = np.array([0.7, -1.3, 2.1])


def grad_fn(p: np.ndarray) -> np.ndarray:
    """Gradient of the convex bowl ½·pᵀAp − c·p plus a small non-quadratic term."""
    return A @ p - C + 0.1 * np.sin(p)


def torch_trajectory(make_optimizer) -> list[np.ndarray]:
    """Run a torch.optim optimizer, feeding it the same gradients as ours get."""
    param = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([param])
    trajectory = []
    for _ in range(STEPS):
        param.grad = torch.from_numpy(grad_fn(param.detach().numpy().copy()))
        optimizer.step()
        trajectory.append(param.detach().numpy().copy())
    return trajectory


CASES = {
    "SGD": (lambda: L5.SGD(0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "SGD-lr0.03": (lambda: L5.SGD(0.03), lambda p: torch.optim.SGD(p, lr=0.03)),
    "Momentum": (lambda: L5.Momentum(0.05), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "Momentum-0.5": (
        lambda: L5.Momentum(0.02, momentum=0.5),
        lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.5),
    ),
    "Adagrad": (L5.Adagrad, torch.optim.Adagrad),
    "Adagrad-custom": (
        lambda: L5.Adagrad(lr=0.3, eps=1e-6),
        lambda p: torch.optim.Adagrad(p, lr=0.3, eps=1e-6),
    ),
    "RMSprop": (L5.RMSprop, torch.optim.RMSprop),
    "RMSprop-custom": (
        lambda: L5.RMSprop(lr=0.05, alpha=0.9, eps=1e-6),
        lambda p: torch.optim.RMSprop(p, lr=0.05, alpha=0.9, eps=1e-6),
    ),
    "Adam": (L5.Adam, torch.optim.Adam),
    "Adam-custom": (
        lambda: L5.Adam(lr=0.1, betas=(0.8, 0.99), eps=1e-6),
        lambda p: torch.optim.Adam(p, lr=0.1, betas=(0.8, 0.99), eps=1e-6),
    ),
}


@pytest.mark.parametrize(("ours", "theirs"), CASES.values(), ids=CASES.keys())
def test_optimizer_matches_torch(ours, theirs) -> None:
    got = L5.minimize(ours(), grad_fn, START, STEPS)
    expected = torch_trajectory(theirs)
    for step, (g, e) in enumerate(zip(got, expected, strict=True)):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=0, err_msg=f"step {step}")


def test_seed_adam_run_in_float32_torch() -> None:
    """Seed 003's Adam loop still prints its number, and ours agrees to 1e-5."""
    theta = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.Adam([theta], lr=0.01)
    for _ in range(100):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(theta, torch.tensor(3.0)).backward()
        optimizer.step()
    ours = L5.minimize(L5.Adam(lr=0.01), lambda p: 2 * (p - 3), np.array(0.0), 100)[-1]
    assert theta.item() == pytest.approx(0.9375530481338501, abs=1e-6)
    assert float(ours) == pytest.approx(theta.item(), abs=1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_train_linear_matches_torch(seed: int) -> None:
    torch.manual_seed(seed)
    model = torch.nn.Linear(4, 2, dtype=torch.float64)
    W0 = model.weight.detach().numpy().copy()
    b0 = model.bias.detach().numpy().copy()
    criterion = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    inputs = torch.tensor([0.8, 0.4, 0.4, 0.2], dtype=torch.float64)
    labels = torch.tensor([1.0, 0.0], dtype=torch.float64)
    torch_losses = []
    for _ in range(10):
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        torch_losses.append(loss.item())
        loss.backward()
        optimizer.step()

    history = L6.train_linear(inputs.numpy(), labels.numpy(), W0, b0, 0.1, 10)
    np.testing.assert_allclose([r["loss"] for r in history], torch_losses, rtol=1e-12, atol=0)
    np.testing.assert_allclose(history[-1]["W"], model.weight.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(history[-1]["b"], model.bias.detach().numpy(), rtol=1e-12)


# ---------------------------------------------------------------- lesson 7: the cross-entropy against autograd


def logistic_problem(seed: int, far: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Random data, labels and parameters; ``far`` puts every z = X·w + b within 10 of ±1000, both signs, both
    labels, so that half the examples are confidently right and half confidently wrong."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 3))
    y = (rng.random(40) < 0.5).astype(float)
    w, b = rng.normal(size=3), float(rng.normal())
    if far:
        X[:, 0] = (rng.choice([-1000.0, 1000.0], size=40) + rng.uniform(-10.0, 10.0, size=40) - X[:, 1:] @ w[1:] - b) / w[0]
    return X, y, w, b


def torch_loss_and_gradients(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[float, np.ndarray, float]:
    """torch's mean binary cross-entropy on the logits X·w + b, and its gradients by autograd, in float64."""
    weights = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    bias = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(torch.from_numpy(X) @ weights + bias,
                                                                torch.from_numpy(y))
    loss.backward()
    return loss.item(), weights.grad.numpy(), bias.grad.item()


@pytest.mark.parametrize("far", [False, True], ids=["random", "z near ±1000"])
@pytest.mark.parametrize("seed", range(4))
def test_cross_entropy_and_gradients_match_torch(seed: int, far: bool) -> None:
    X, y, w, b = logistic_problem(seed, far)
    if far:
        assert np.all(np.abs(np.abs(X @ w + b) - 1000) <= 10 + 1e-9)
    loss, dw, db = torch_loss_and_gradients(X, y, w, b)
    ours_dw, ours_db = L7.gradients(X, y, w, b)
    assert np.isfinite(loss) and L7.cross_entropy(X, y, w, b) == pytest.approx(loss, rel=1e-12, abs=0)
    np.testing.assert_allclose(ours_dw, dw, rtol=1e-12, atol=1e-12 * np.abs(dw).max())
    assert ours_db == pytest.approx(db, rel=1e-12, abs=1e-15)


def test_sigmoid_matches_torch_and_keeps_what_torch_rounds_to_zero() -> None:
    """Same values from −1000 to 1000; below z ≈ −708 torch gives 0.0 where σ is still a (subnormal) e^z > 0."""
    z = np.concatenate([np.linspace(-1000.0, 1000.0, 4001), [-745.0, -712.0, -709.5, -37.5, 37.5, 709.5, 712.0]])
    theirs = torch.sigmoid(torch.from_numpy(z)).numpy()
    np.testing.assert_allclose(L7.sigmoid(z), theirs, rtol=1e-15, atol=1e-300)
    assert theirs[z == -712.0][0] == 0.0 and L7.sigmoid(-712.0) == pytest.approx(np.exp(-712.0), rel=1e-12)


@pytest.mark.parametrize(("lr", "max_epochs", "tol", "stops"), [
    (0.5, 500, 1e-4, "early"), (0.5, 12, 1e-9, "at max_epochs"), (8.0, 50, 1e-4, "when the loss goes up"),
])
def test_train_matches_torch_sgd_with_the_same_stopping_rule(lr: float, max_epochs: int, tol: float, stops: str) -> None:
    X, y, w, b = logistic_problem(7, far=False)
    weights = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    bias = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([weights, bias], lr=lr)

    def loss() -> torch.Tensor:
        return torch.nn.functional.binary_cross_entropy_with_logits(torch.from_numpy(X) @ weights + bias,
                                                                    torch.from_numpy(y))

    previous, losses = loss().item(), []
    for _ in range(max_epochs):
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(loss().item())
        if previous - losses[-1] < tol:
            break
        previous = losses[-1]

    history = L7.train(X, y, w, b, lr, max_epochs, tol)
    assert {"early": 1 < len(losses) < max_epochs, "at max_epochs": len(losses) == max_epochs,
            "when the loss goes up": len(losses) > 1 and losses[-1] > losses[-2]}[stops]
    np.testing.assert_allclose([r["loss"] for r in history], losses, rtol=1e-10, atol=0)
    np.testing.assert_allclose(history[-1]["w"], weights.detach().numpy(), rtol=1e-10)
    assert history[-1]["b"] == pytest.approx(bias.item(), rel=1e-10)
