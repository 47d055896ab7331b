"""The lesson 5 optimizers and the lesson 6 layer against PyTorch, in float64."""

from __future__ import annotations

import numpy as np
import pytest

from solutions import lesson5_optimizers as L5
from solutions import lesson6_linear_layer as L6

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
