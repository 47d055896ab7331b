"""Behaviour of the reference solutions of lessons 2 to 7 (see CURRICULUM.md)."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import mpmath

import numpy as np
import pytest
import sympy as sp

from solutions import lesson2_two_weights as L2
from solutions import lesson3_quadratic as L3
from solutions import lesson4_regression as L4
from solutions import lesson5_optimizers as L5
from solutions import lesson6_linear_layer as L6
from solutions import lesson7_logistic as L7

x, y, w, b, w1, w2, lam, theta = sp.symbols("x y w b w1 w2 lam theta")


def assert_derivative(answer: sp.Expr, loss: sp.Expr, var: sp.Symbol) -> None:
    assert sp.simplify(answer - sp.diff(loss, var)) == 0


def numeric_gradient(
    f: Callable[[np.ndarray], float], at: np.ndarray, h: float = 1e-6
) -> np.ndarray:
    """Central finite differences of a scalar function of an array."""
    grad = np.zeros_like(at, dtype=float)
    for index in np.ndindex(at.shape):
        bump = np.zeros_like(at, dtype=float)
        bump[index] = h
        grad[index] = (f(at + bump) - f(at - bump)) / (2 * h)
    return grad


def numeric_slope(f: Callable[[float], float], at: float) -> float:
    """Central finite difference of a scalar function of one float."""
    return float(numeric_gradient(lambda v: f(float(v[0])), np.array([at]))[0])


def assert_history(history: list[dict], keys: set[str], epochs: list[int]) -> None:
    assert [record["epoch"] for record in history] == epochs
    for record in history:
        assert keys <= record.keys()


# ---------------------------------------------------------------- lesson 2

COST_2 = (w1 * x + w2 - y) ** 2


@pytest.mark.parametrize(("task", "var"), [(L2.dC_dw1, w1), (L2.dC_dw2, w2)])
def test_lesson2_symbolic(task: Callable[[], sp.Expr], var: sp.Symbol) -> None:
    assert_derivative(task(), COST_2, var)


def test_lesson2_step_by_hand() -> None:
    # error = 1·2 + 0.5 − 5 = −2.5, so ∂C/∂w1 = −10 and ∂C/∂w2 = −5
    assert L2.step(2.0, 5.0, 1.0, 0.5, 0.1) == pytest.approx((2.0, 1.0))


def test_lesson2_step_uses_old_weights_for_both() -> None:
    # Had w1 been updated first, the error for w2 would be −0.5 and w2 = 0.6.
    _, new_w2 = L2.step(2.0, 5.0, 1.0, 0.5, 0.1)
    assert new_w2 == pytest.approx(1.0)


def test_lesson2_train_records() -> None:
    history = L2.train([2.0, 1.0, 3.0], [5.0, 3.0, 7.0], 1.0, 0.5, 0.05, 2)
    assert_history(history, {"epoch", "w1", "w2", "loss"}, [0, 0, 0, 1, 1, 1])
    first = history[0]
    assert (first["w1"], first["w2"]) == pytest.approx((1.5, 0.75))
    assert first["loss"] == pytest.approx((1.5 * 2 + 0.75 - 5) ** 2)  # after the update


@pytest.mark.parametrize(
    ("train", "args"),
    [(L2.train, ([2, 1], [5, 3], 1, 0, 0.05, 1)), (L3.train, ([2, 1], [5, 3], 1, 0, 0, 0.05, 1))],
    ids=["lesson2", "lesson3"],
)
def test_scalar_histories_hold_python_floats(train, args) -> None:
    for record in train(*args):
        assert all(type(value) is float for key, value in record.items() if key != "epoch")


def test_lesson2_train_fits_a_line() -> None:
    xs = [0.0, 0.5, 1.0, 1.5]
    history = L2.train(xs, [2 * v + 1 for v in xs], 0.0, 0.0, 0.1, 500)
    assert (history[-1]["w1"], history[-1]["w2"]) == pytest.approx((2.0, 1.0), abs=1e-6)


# ---------------------------------------------------------------- lesson 3

LOSS_3 = (x**2 * w2 + x * w1 + b - y) ** 2


@pytest.mark.parametrize(
    ("task", "var"), [(L3.dloss_dw1, w1), (L3.dloss_dw2, w2), (L3.dloss_db, b)]
)
def test_lesson3_symbolic(task: Callable[[], sp.Expr], var: sp.Symbol) -> None:
    assert_derivative(task(), LOSS_3, var)


def test_lesson3_forward_and_gradients_by_hand() -> None:
    assert L3.forward(2.0, 1.0, 0.5, -1.0) == pytest.approx(3.0)
    # error = 3 − 1 = 2
    assert L3.gradients(2.0, 1.0, 1.0, 0.5, -1.0) == pytest.approx((8.0, 16.0, 4.0))


def test_lesson3_gradients_match_sympy() -> None:
    point = {x: 1.3, y: -0.7, w1: 0.4, w2: -1.1, b: 0.25}
    expected = [float(sp.diff(LOSS_3, var).subs(point)) for var in (w1, w2, b)]
    got = L3.gradients(*(point[s] for s in (x, y, w1, w2, b)))
    assert got == pytest.approx(expected, rel=1e-12)


def test_lesson3_train_records() -> None:
    history = L3.train([2.0, -1.0], [1.0, 0.5], 1.0, 0.5, -1.0, 0.01, 3)
    assert_history(history, {"epoch", "w1", "w2", "b", "loss"}, [0, 0, 1, 1, 2, 2])
    first = history[0]
    assert (first["w1"], first["w2"], first["b"]) == pytest.approx((0.92, 0.34, -1.04))
    assert first["loss"] == pytest.approx((4 * 0.34 + 2 * 0.92 - 1.04 - 1.0) ** 2)


def test_lesson3_train_fits_a_parabola() -> None:
    xs = [-1.0, -0.5, 0.0, 0.5, 1.0]
    ys = [v**2 - 2 * v + 1 for v in xs]
    last = L3.train(xs, ys, 0.0, 0.0, 0.0, 0.1, 2000)[-1]
    assert (last["w1"], last["w2"], last["b"]) == pytest.approx((-2.0, 1.0, 1.0), abs=1e-6)


# ---------------------------------------------------------------- lesson 4


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(5, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=5)
    return X, y, rng.normal(size=3), 0.2


HAND_X = np.array([[1.0, 2.0], [3.0, 4.0]])
HAND_Y = np.array([1.0, 2.0])
HAND_W = np.array([1.0, 0.0])


def test_lesson4_by_hand() -> None:
    # ŷ = [1.5, 3.5], errors = [0.5, 1.5]
    np.testing.assert_allclose(L4.predict(HAND_X, HAND_W, 0.5), [1.5, 3.5])
    assert L4.mse(HAND_X, HAND_Y, HAND_W, 0.5) == pytest.approx(1.25)
    dw, db = L4.mse_gradients(HAND_X, HAND_Y, HAND_W, 0.5)
    np.testing.assert_allclose(dw, [5.0, 7.0])
    assert db == pytest.approx(2.0)
    dw, db = L4.ridge_gradients(HAND_X, HAND_Y, HAND_W, 0.5, 0.25)
    np.testing.assert_allclose(dw, [5.5, 7.0])
    assert db == pytest.approx(2.0)


def test_lesson4_mse_gradients_match_finite_differences(data) -> None:
    X, y, w0, b0 = data
    dw, db = L4.mse_gradients(X, y, w0, b0)
    expected_dw = numeric_gradient(lambda v: L4.mse(X, y, v, b0), w0)
    np.testing.assert_allclose(dw, expected_dw, rtol=1e-6)
    assert db == pytest.approx(numeric_slope(lambda v: L4.mse(X, y, w0, v), b0))


def test_lesson4_ridge_gradients_match_finite_differences(data) -> None:
    X, y, w0, b0 = data

    def ridge(v: np.ndarray, bias: float) -> float:
        return L4.mse(X, y, v, bias) + 0.7 * float(np.sum(v**2))

    dw, db = L4.ridge_gradients(X, y, w0, b0, 0.7)
    np.testing.assert_allclose(dw, numeric_gradient(lambda v: ridge(v, b0), w0), rtol=1e-6)
    assert db == pytest.approx(numeric_slope(lambda v: ridge(w0, v), b0))


def test_lesson4_dridge_dw() -> None:
    assert_derivative(L4.dridge_dw(), (x * w + b - y) ** 2 + lam * w**2, w)


def replay(history: list[dict], X, y, w0, b0, lr: float, batches: list[slice]) -> None:
    """Check each record is one update from the previous one on the given batch."""
    w_prev, b_prev = w0, b0
    for record, rows in zip(history, batches, strict=True):
        dw, db = L4.mse_gradients(X[rows], y[rows], w_prev, b_prev)
        np.testing.assert_allclose(record["w"], w_prev - lr * dw, rtol=1e-12)
        assert record["b"] == pytest.approx(b_prev - lr * db, rel=1e-12)
        assert record["loss"] == pytest.approx(L4.mse(X, y, record["w"], record["b"]), rel=1e-12)
        w_prev, b_prev = record["w"], record["b"]


def test_lesson4_batch_gd(data) -> None:
    X, y, w0, b0 = data
    history = L4.batch_gd(X, y, w0, b0, 0.05, 4)
    assert_history(history, {"epoch", "w", "b", "loss"}, [0, 1, 2, 3])
    replay(history, X, y, w0, b0, 0.05, [slice(0, 5)] * 4)


def test_lesson4_sgd(data) -> None:
    X, y, w0, b0 = data
    history = L4.sgd(X, y, w0, b0, 0.05, 2)
    assert_history(history, {"epoch", "w", "b", "loss"}, [0] * 5 + [1] * 5)
    replay(history, X, y, w0, b0, 0.05, [slice(i, i + 1) for i in range(5)] * 2)


def test_lesson4_minibatch_last_batch_is_smaller(data) -> None:
    X, y, w0, b0 = data
    history = L4.minibatch_gd(X, y, w0, b0, 0.05, 2, 2)
    assert_history(history, {"epoch", "w", "b", "loss"}, [0, 0, 0, 1, 1, 1])
    replay(history, X, y, w0, b0, 0.05, [slice(0, 2), slice(2, 4), slice(4, 6)] * 2)


@pytest.mark.parametrize("train", [L4.batch_gd, L4.sgd, lambda *a: L4.minibatch_gd(*a, 2)])
def test_lesson4_records_are_copies_and_inputs_untouched(data, train) -> None:
    X, y, w0, b0 = data
    X_before, y_before, w_before = X.copy(), y.copy(), w0.copy()
    history = train(X, y, w0, b0, 0.05, 2)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(w0, w_before)
    arrays = [record["w"] for record in history] + [w0]
    for i, first in enumerate(arrays):
        for second in arrays[i + 1 :]:
            assert not np.shares_memory(first, second)
    assert not np.array_equal(history[0]["w"], history[-1]["w"])


def test_lesson4_max_stable_lr_by_hand() -> None:
    # X̃ = [[1, 1], [−1, 1]] gives H = 2·I, so λmax = 2 and lr = 1.
    assert L4.max_stable_lr(np.array([[1.0], [-1.0]])) == pytest.approx(1.0)


@pytest.mark.parametrize(("factor", "converges"), [(0.95, True), (1.05, False)])
def test_lesson4_max_stable_lr_is_the_edge(data, factor: float, converges: bool) -> None:
    X, y, w0, b0 = data
    lr = factor * L4.max_stable_lr(X)
    history = L4.batch_gd(X, y, w0, b0, lr, 300)
    start, end = L4.mse(X, y, w0, b0), history[-1]["loss"]
    if converges:
        optimum = np.linalg.lstsq(np.column_stack([X, np.ones(5)]), y, rcond=None)[0]
        assert end == pytest.approx(L4.mse(X, y, optimum[:-1], optimum[-1]), rel=1e-6)
    else:
        assert end > 1e6 * start


# ---------------------------------------------------------------- lesson 5


def quadratic_grad(p: np.ndarray) -> np.ndarray:
    return 2 * (p - 3)


def test_lesson5_symbolic() -> None:
    assert_derivative(L5.dloss_dtheta(), (theta - 3) ** 2, theta)


def test_lesson5_gradient_descent_seed() -> None:
    thetas = L5.gradient_descent(0, 0.1, 100)
    assert len(thetas) == 100
    assert thetas[0] == pytest.approx(0.6)
    assert thetas[-1] == 2.9999999993888893


def test_lesson5_adam_seed() -> None:
    final = L5.minimize(L5.Adam(lr=0.01), quadratic_grad, np.array(0.0), 100)[-1]
    assert float(final) == pytest.approx(0.9375530481338501, abs=1e-5)


def test_lesson5_sgd_through_minimize_is_gradient_descent() -> None:
    trajectory = L5.minimize(L5.SGD(0.1), quadratic_grad, np.array([0.0]), 100)
    assert [float(p[0]) for p in trajectory] == L5.gradient_descent(0, 0.1, 100)


def run(optimizer, grads: list[list[float]]) -> list[np.ndarray]:
    params = np.zeros(len(grads[0]))
    trajectory = []
    for g in grads:
        params = optimizer.step(params, np.array(g))
        trajectory.append(params)
    return trajectory


@pytest.mark.parametrize(
    ("optimizer", "grads", "expected"),
    [
        (L5.SGD(0.1), [[1.0, -2.0]], [[-0.1, 0.2]]),
        # buf = 1, then 0.9·1 + 2 = 2.9
        (L5.Momentum(0.1), [[1.0], [2.0]], [[-0.1], [-0.39]]),
        # sum = 9, then 25
        (
            L5.Adagrad(lr=0.1),
            [[3.0], [4.0]],
            [[-0.3 / (3 + 1e-10)], [-0.3 / (3 + 1e-10) - 0.4 / (5 + 1e-10)]],
        ),
        # v = 0.01·4 = 0.04, √v = 0.2
        (L5.RMSprop(), [[2.0]], [[-0.02 / (0.2 + 1e-8)]]),
        # first Adam step: m̂ = g, v̂ = g², so the step is about lr·sign(g)
        (L5.Adam(lr=0.1), [[3.0, -0.5]], [[-0.3 / (3 + 1e-8), 0.05 / (0.5 + 1e-8)]]),
    ],
    ids=["SGD", "Momentum", "Adagrad", "RMSprop", "Adam"],
)
def test_lesson5_steps_by_hand(optimizer, grads, expected) -> None:
    for got, want in zip(run(optimizer, grads), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_lesson5_defaults_follow_torch() -> None:
    def defaults(cls) -> dict:
        return {
            name: p.default
            for name, p in inspect.signature(cls).parameters.items()
            if p.default is not inspect.Parameter.empty
        }

    assert defaults(L5.SGD) == {}
    assert defaults(L5.Momentum) == {"momentum": 0.9}
    assert defaults(L5.Adagrad) == {"lr": 0.01, "eps": 1e-10}
    assert defaults(L5.RMSprop) == {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}
    assert defaults(L5.Adam) == {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8}


FACTORIES = [lambda: L5.Momentum(0.1), L5.Adagrad, L5.RMSprop, L5.Adam]


@pytest.mark.parametrize("make", FACTORIES, ids=["Momentum", "Adagrad", "RMSprop", "Adam"])
def test_lesson5_instances_do_not_share_state(make) -> None:
    used, fresh, reference = make(), make(), make()
    for _ in range(5):
        used.step(np.ones(2), np.array([1.0, -3.0]))
    first = fresh.step(np.ones(2), np.array([0.5, 2.0]))
    np.testing.assert_array_equal(first, reference.step(np.ones(2), np.array([0.5, 2.0])))


@pytest.mark.parametrize("make", [lambda: L5.SGD(0.1), *FACTORIES])
def test_lesson5_step_returns_new_array_and_keeps_inputs(make) -> None:
    params = np.arange(6.0).reshape(2, 3)
    grads = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
    optimizer = make()
    for _ in range(3):
        new = optimizer.step(params, grads)
        assert new.shape == (2, 3)
        assert new is not params
        np.testing.assert_array_equal(params, np.arange(6.0).reshape(2, 3))
        np.testing.assert_array_equal(grads, np.linspace(-1.0, 1.0, 6).reshape(2, 3))


@pytest.mark.parametrize(
    "make",
    [lambda: L5.SGD(0.1), lambda: L5.Momentum(0.05), lambda: L5.Adagrad(0.5),
     lambda: L5.RMSprop(0.05), lambda: L5.Adam(0.1)],
)
def test_lesson5_minimize(make) -> None:
    x0 = np.array([0, 10])  # ints: minimize must work on a float64 copy
    trajectory = L5.minimize(make(), quadratic_grad, x0, 500)
    assert len(trajectory) == 500
    np.testing.assert_array_equal(x0, [0, 10])
    assert all(p.dtype == np.float64 for p in trajectory)
    assert not np.shares_memory(trajectory[0], trajectory[1])
    np.testing.assert_allclose(trajectory[-1], [3.0, 3.0], atol=1e-2)


def test_lesson5_minimize_records_copies_even_for_in_place_optimizers() -> None:
    class InPlaceSGD:
        def step(self, params: np.ndarray, grads: np.ndarray) -> np.ndarray:
            params -= 0.1 * grads
            return params

    x0 = np.array([0.0])
    trajectory = L5.minimize(InPlaceSGD(), quadratic_grad, x0, 3)
    assert [float(p[0]) for p in trajectory] == L5.gradient_descent(0, 0.1, 3)
    np.testing.assert_array_equal(x0, [0.0])


# ---------------------------------------------------------------- lesson 6

X6 = np.array([0.8, 0.4, 0.4, 0.2])
T6 = np.array([1.0, 0.0])


def test_lesson6_by_hand() -> None:
    W = np.array([[1.0, 0.0, 2.0], [0.0, -1.0, 1.0]])
    out = L6.linear_forward(np.array([1.0, 2.0, 3.0]), W, np.array([0.5, -0.5]))
    np.testing.assert_allclose(out, [7.5, 0.5])
    assert L6.mse_loss(out, np.array([6.5, 1.5])) == pytest.approx(1.0)
    dW, db = L6.linear_backward(np.array([1.0, 2.0, 3.0]), out, np.array([6.5, 1.5]))
    np.testing.assert_allclose(db, [1.0, -1.0])  # 2·(±1)/2
    np.testing.assert_allclose(dW, [[1.0, 2.0, 3.0], [-1.0, -2.0, -3.0]])


def test_lesson6_backward_matches_finite_differences() -> None:
    rng = np.random.default_rng(6)
    W, b = rng.normal(size=(2, 4)), rng.normal(size=2)
    dW, db = L6.linear_backward(X6, L6.linear_forward(X6, W, b), T6)
    np.testing.assert_allclose(
        dW, numeric_gradient(lambda v: L6.mse_loss(L6.linear_forward(X6, v, b), T6), W), rtol=1e-6
    )
    np.testing.assert_allclose(
        db, numeric_gradient(lambda v: L6.mse_loss(L6.linear_forward(X6, W, v), T6), b), rtol=1e-6
    )


def test_lesson6_train_linear() -> None:
    rng = np.random.default_rng(60)
    W0, b0 = rng.normal(size=(2, 4)), rng.normal(size=2)
    W_before, b_before = W0.copy(), b0.copy()
    history = L6.train_linear(X6, T6, W0, b0, 0.1, 10)
    assert_history(history, {"epoch", "loss", "W", "b"}, list(range(10)))
    np.testing.assert_array_equal(W0, W_before)
    np.testing.assert_array_equal(b0, b_before)
    W_prev, b_prev = W0, b0
    for record in history:
        pred = L6.linear_forward(X6, W_prev, b_prev)
        assert record["loss"] == pytest.approx(L6.mse_loss(pred, T6), rel=1e-12)  # before
        dW, db = L6.linear_backward(X6, pred, T6)
        np.testing.assert_allclose(record["W"], W_prev - 0.1 * dW, rtol=1e-12)  # after
        np.testing.assert_allclose(record["b"], b_prev - 0.1 * db, rtol=1e-12)
        assert not np.shares_memory(record["W"], W_prev)
        assert not np.shares_memory(record["b"], b_prev)
        W_prev, b_prev = record["W"], record["b"]
    losses = [record["loss"] for record in history]
    assert losses == sorted(losses, reverse=True)


# ---------------------------------------------------------------- lesson 7

Z_FAR = np.array([-1000.0, -745.0, -712.0, -709.8, -37.5, -1e-8, 0.0, 1e-8, 37.5, 709.8, 712.0, 1000.0])
LOSS_7 = -(y * sp.log(1 / (1 + sp.exp(-(x * w + b)))) + (1 - y) * sp.log(1 - 1 / (1 + sp.exp(-(x * w + b)))))


def exact_sigmoid(v: float) -> float:
    """σ(v) to 50 digits, rounded once to a float."""
    with mpmath.workdps(50):
        return float(1 / (1 + mpmath.exp(-mpmath.mpf(v))))


def exact_cross_entropy(z: np.ndarray, labels: np.ndarray) -> float:
    """The mean of log(1 + e^z) − y·z to 50 digits, rounded once to a float."""
    with mpmath.workdps(50):
        return float(sum(mpmath.log1p(mpmath.exp(mpmath.mpf(v))) - t * mpmath.mpf(v)
                         for v, t in zip(z.tolist(), labels.tolist())) / len(z))


def test_lesson7_sigmoid_by_hand() -> None:
    assert L7.sigmoid(0.0) == 0.5 and type(L7.sigmoid(0.0)) is float
    assert (L7.sigmoid(1000.0), L7.sigmoid(-1000.0)) == (1.0, 0.0)
    assert L7.sigmoid(-712.0) == pytest.approx(np.exp(-712.0), rel=1e-12) and L7.sigmoid(-712.0) > 0
    grid = np.linspace(-4.0, 4.0, 6).reshape(2, 3)
    assert L7.sigmoid(grid).shape == (2, 3)
    np.testing.assert_allclose(L7.sigmoid(grid) + L7.sigmoid(-grid), 1.0, rtol=1e-15)


def test_lesson7_sigmoid_is_accurate_for_every_finite_z_without_overflow() -> None:
    z = np.concatenate([Z_FAR, np.linspace(-1000.0, 1000.0, 801), [-1e300, 1e300, -np.finfo(float).max]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # each raises FloatingPointError
        got = L7.sigmoid(z)
    exact = np.array([exact_sigmoid(v) for v in z])
    normal = exact >= np.finfo(float).tiny  # below, σ is subnormal and has fewer digits
    np.testing.assert_allclose(got[normal], exact[normal], rtol=4e-16, atol=0)
    np.testing.assert_allclose(got[~normal], exact[~normal], rtol=0, atol=1e-322)


@pytest.mark.parametrize("seed", range(3))
def test_lesson7_cross_entropy_is_accurate_and_finite_for_every_finite_z(seed: int) -> None:
    rng = np.random.default_rng(70 + seed)
    for scale in (1.0, 30.0, 1000.0, 1e300):
        X = rng.uniform(-1.0, 1.0, size=(9, 1)) * scale
        labels = (rng.random(9) < 0.5).astype(float)
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            got = L7.cross_entropy(X, labels, np.array([1.0]), 0.0)
        assert type(got) is float and np.isfinite(got)
        assert got == pytest.approx(exact_cross_entropy(X[:, 0], labels), rel=1e-14)


def test_lesson7_cross_entropy_is_the_log_form_where_that_form_is_finite() -> None:
    rng = np.random.default_rng(71)
    X, labels, w0 = rng.normal(size=(6, 2)), np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0]), rng.normal(size=2)
    p = L7.sigmoid(X @ w0 + 0.3)
    log_form = -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))
    assert L7.cross_entropy(X, labels, w0, 0.3) == pytest.approx(log_form, rel=1e-13)
    assert L7.cross_entropy(np.zeros((4, 3)), labels[:4], w0 @ np.ones((2, 3)), 0.0) == pytest.approx(np.log(2))


@pytest.mark.parametrize(("task", "var"), [(L7.dloss_dw, w), (L7.dloss_db, b)])
def test_lesson7_symbolic(task: Callable[[], sp.Expr], var: sp.Symbol) -> None:
    assert_derivative(task(), LOSS_7, var)


def test_lesson7_gradients_match_finite_differences() -> None:
    rng = np.random.default_rng(72)
    X, labels, w0 = rng.normal(size=(7, 3)), (rng.random(7) < 0.5).astype(float), rng.normal(size=3)
    dw, db = L7.gradients(X, labels, w0, -0.4)
    np.testing.assert_allclose(dw, numeric_gradient(lambda v: L7.cross_entropy(X, labels, v, -0.4), w0), rtol=1e-6)
    assert db == pytest.approx(numeric_slope(lambda v: L7.cross_entropy(X, labels, w0, v), -0.4), rel=1e-6)
    assert type(db) is float and dw.shape == (3,)


def logistic_data(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(12, 2))
    labels = (X @ np.array([1.5, -1.0]) + 2 * rng.normal(size=12) > 0).astype(float)
    return X, labels, rng.normal(scale=0.1, size=2)


@pytest.mark.parametrize(("lr", "max_epochs", "tol", "stops"), [
    (0.5, 400, 1e-3, "early"), (0.5, 6, 1e-9, "at max_epochs"), (8.0, 50, 1e-4, "when the loss goes up"),
])
def test_lesson7_train_follows_gradient_descent_and_its_stopping_rule(lr: float, max_epochs: int, tol: float,
                                                                      stops: str) -> None:
    X, labels, w0 = logistic_data(74)
    w_before = w0.copy()
    history = L7.train(X, labels, w0, 0.0, lr, max_epochs, tol)
    assert_history(history, {"epoch", "w", "b", "loss"}, list(range(len(history))))
    np.testing.assert_array_equal(w0, w_before)
    losses = [L7.cross_entropy(X, labels, w0, 0.0)] + [r["loss"] for r in history]
    w_prev, b_prev = w0, 0.0
    for record in history:
        dw, db = L7.gradients(X, labels, w_prev, b_prev)
        np.testing.assert_allclose(record["w"], w_prev - lr * dw, rtol=1e-12)
        assert record["b"] == pytest.approx(b_prev - lr * db, rel=1e-12)
        assert record["loss"] == pytest.approx(L7.cross_entropy(X, labels, record["w"], record["b"]), rel=1e-12)
        assert not np.shares_memory(record["w"], w_prev)
        w_prev, b_prev = record["w"], record["b"]
    decreases = [before - after for before, after in zip(losses, losses[1:])]
    assert all(d >= tol for d in decreases[:-1])  # no earlier epoch met the rule
    assert {"early": 1 < len(history) < max_epochs and decreases[-1] < tol,
            "at max_epochs": len(history) == max_epochs and decreases[-1] >= tol,
            "when the loss goes up": len(history) > 1 and decreases[-1] < 0}[stops]


def test_lesson7_train_from_zero_stops_where_the_loss_stopped_decreasing() -> None:
    """Seed 001: start from zero weights and bias, repeat until the loss stops decreasing significantly."""
    X, labels, _ = logistic_data(76)
    history = L7.train(X, labels, np.zeros(2), 0.0, 1.0, 10_000, 1e-10)
    assert history[0]["loss"] < np.log(2) == pytest.approx(L7.cross_entropy(X, labels, np.zeros(2), 0.0))
    assert len(history) < 10_000
    dw, db = L7.gradients(X, labels, history[-1]["w"], history[-1]["b"])
    assert np.abs(dw).max() < 1e-3 and abs(db) < 1e-3


def test_lesson7_predict() -> None:
    X = np.array([[1.0, 3.0], [2.0, 1.0], [-1.0, 0.5], [0.5, -2.0]])
    labels = L7.predict(X, np.array([0.5, -1.0]), 0.0)  # z = [-2.5, 0, -1, 2.25]
    assert labels.dtype.kind == "i" and labels.tolist() == [0, 1, 0, 1]
    X, _, w0 = logistic_data(75)
    np.testing.assert_array_equal(L7.predict(X, w0, 0.2), L7.sigmoid(X @ w0 + 0.2) >= 0.5)
